import fc from 'fast-check';
import { corpusTer, sentenceTer, terSignature } from './ter.js';
import { tokenizeTercom } from './tercom-tokenizer.js';

const close = (actual: number, expected: number, tolerance = 1e-9) => expect(Math.abs(actual - expected)).toBeLessThan(tolerance);

describe('TER: sacreBLEU test_ter.py anchors', () => {
  test.each([
    ['aaaa bbbb cccc dddd', 'aaaa bbbb cccc dddd', 0],
    ['dddd eeee ffff', 'aaaa bbbb cccc', 100],
    ['', 'a', 100],
    // one shift of "a b c" fixes the hypothesis: 1 edit / 8 words
    ['d e f g h a b c', 'a b c d e f g h', 12.5],
  ])('%j vs %j', (hypothesis, reference, expected) => {
    close(sentenceTer(hypothesis, reference).score, expected);
  });

  test('realistic WMT 2019 dev example: 0.136', () => {
    const hypotheses = [
      'wählen Sie " Bild neu berechnen , " um beim Ändern der Bildgröße Pixel hinzuzufügen oder zu entfernen , damit das Bild ungefähr dieselbe Größe aufweist wie die andere Größe .',
      'wenn Sie alle Aufgaben im aktuellen Dokument aktualisieren möchten , wählen Sie im Menü des Aufgabenbedienfelds die Option " Alle Aufgaben aktualisieren . "',
      'klicken Sie auf der Registerkarte " Optionen " auf die Schaltfläche " Benutzerdefiniert " und geben Sie Werte für " Fehlerkorrektur-Level " und " Y / X-Verhältnis " ein .',
      'Sie können beispielsweise ein Dokument erstellen , das ein Auto über die Bühne enthält .',
      'wählen Sie im Dialogfeld " Neu aus Vorlage " eine Vorlage aus und klicken Sie auf " Neu . "',
    ];
    const references = [
      'wählen Sie " Bild neu berechnen , " um beim Ändern der Bildgröße Pixel hinzuzufügen oder zu entfernen , damit die Darstellung des Bildes in einer anderen Größe beibehalten wird .',
      'wenn Sie alle Aufgaben im aktuellen Dokument aktualisieren möchten , wählen Sie im Menü des Aufgabenbedienfelds die Option " Alle Aufgaben aktualisieren . "',
      'klicken Sie auf der Registerkarte " Optionen " auf die Schaltfläche " Benutzerdefiniert " und geben Sie für " Fehlerkorrektur-Level " und " Y / X-Verhältnis " niedrigere Werte ein .',
      'Sie können beispielsweise ein Dokument erstellen , das ein Auto enthalt , das sich über die Bühne bewegt .',
      'wählen Sie im Dialogfeld " Neu aus Vorlage " eine Vorlage aus und klicken Sie auf " Neu . "',
    ];
    const result = corpusTer(hypotheses, [references]);
    close(result.score, 13.6, 1e-3);
    // 33 + 24 + 32 + 20 + 16 reference words
    expect(result.refLength).toBe(125);
    expect(result.numEdits).toBe(17);
  });
});

describe('TER: hand-derived values', () => {
  test('the sacreBLEU README corpus: 6 edits over 5.5 + 4 + 5.5 average reference words = 40', () => {
    // lowercased, punctuation kept ("man." is one word): line 1 matches its first reference (0 edits,
    // references of 5 and 6 words); line 2: "it" kept, 2 substitutions, 1 insertion against the
    // first reference; line 3: 3 edits against the second reference (6 words) vs 4 against the first (5)
    const result = corpusTer(
      ['The dog bit the man.', "It wasn't surprising.", 'The man had just bitten him.'],
      [
        ['The dog bit the man.', 'It was not unexpected.', 'The man bit him first.'],
        ['The dog had bit the man.', 'No one was surprised.', 'The man had bitten the dog.'],
      ],
    );
    expect(result.numEdits).toBe(6);
    expect(result.refLength).toBe(15);
    close(result.score, 40);
  });
  test('a swapped pair is one shift, not two substitutions', () => {
    const result = sentenceTer('a b c d', 'a b d c');
    expect(result.numEdits).toBe(1);
    close(result.score, 25);
  });
  test('shifts are searched only within 50 words of their position (Tercom limit)', () => {
    const words = (count: number) => Array.from({ length: count }, (_, index) => `w${index}`);
    // the last word moved to the front: 39 positions away is one shift, 59 is a deletion and an insertion
    const forty = words(40);
    expect(sentenceTer([forty[39], ...forty.slice(0, 39)].join(' '), forty.join(' ')).numEdits).toBe(1);
    const sixty = words(60);
    const far = sentenceTer([sixty[59], ...sixty.slice(0, 59)].join(' '), sixty.join(' '));
    expect(far.numEdits).toBe(2);
    close(far.score, 200 / 60);
  });
  test('TER is case-insensitive unless case_sensitive', () => {
    expect(sentenceTer('The Cat', 'the cat').score).toBe(0);
    expect(sentenceTer('The Cat', 'the cat', { case_sensitive: true }).score).toBe(100);
  });
  test('punctuation is kept by default and removed by no_punct', () => {
    expect(sentenceTer('hello, world!', 'hello world').score).toBe(100);
    expect(sentenceTer('hello, world!', 'hello world', { no_punct: true }).score).toBe(0);
  });
  test('normalized splits punctuation like Tercom', () => {
    expect(sentenceTer('hello,world', 'hello , world').numEdits).toBe(3);
    expect(sentenceTer('hello,world', 'hello , world', { normalized: true }).score).toBe(0);
  });
  test('several references: fewest edits over their average length', () => {
    const result = sentenceTer('a b x', ['a b c', 'a b c d e']);
    expect(result.numEdits).toBe(1);
    expect(result.refLength).toBe(4);
    close(result.score, 25);
  });
  test('more edits than reference words goes above 100', () => {
    // 1 substitution + 4 deletions against a one-word reference
    close(sentenceTer('a b c d e', 'x').score, 500);
  });
  test('signature', () => {
    expect(sentenceTer('a', 'a').signature).toBe('nrefs:1|case:lc|tok:tercom|norm:no|punct:yes|asian:no|version:2.6.0');
    expect(terSignature({ normalized: true, no_punct: true, asian_support: true, case_sensitive: true }, 2, true)).toBe(
      '#:2|c:mixed|t:tercom|nr:yes|pn:no|as:yes|v:2.6.0',
    );
  });
});

describe('Tercom tokenizer', () => {
  test.each([
    [{}, 'Hello,  World!', 'hello, world!'],
    [{ case_sensitive: true }, 'Hello,  World!', 'Hello, World!'],
    [{ normalized: true }, "It's 3.5 km-long, isn't it?", "it 's 3.5 km-long , isn't it ?"],
    // Tercom joins "\n-" (unlike 13a's "-\n")
    [{ normalized: true }, 'a &amp; b &lt;c&gt;\nnext\n-line', 'a & b < c > nextline'],
    [{ normalized: true }, 'next-\nline', 'next- line'],
    [{ no_punct: true }, 'wait... (what?) "yes"; ok: go!', 'wait what yes ok go'],
    [{ normalized: true, asian_support: true }, '我爱你。', '我 爱 你 。'],
    [{ no_punct: true, asian_support: true }, '你好，世界。', '你好世界'],
    [{ normalized: true }, 'pages 10-20', 'pages 10 - 20'],
  ])('%j %j', (options, line, expected) => {
    expect(tokenizeTercom(line, options)).toBe(expected);
  });
});

describe('TER: bad input gives defined scores', () => {
  test('empty hypothesis and empty reference', () => {
    expect(sentenceTer('', 'a b').score).toBe(100);
    expect(sentenceTer('a b', '').score).toBe(100);
    expect(sentenceTer('', '').score).toBe(0);
    expect(sentenceTer('   ', [' ']).score).toBe(0);
  });
  test('right-to-left, emoji, full-width punctuation', () => {
    expect(sentenceTer('שלום עולם', 'עולם שלום').numEdits).toBe(1);
    expect(sentenceTer('I ❤️ NY！', 'I ❤️ NY！').score).toBe(0);
  });
  test('a 100k-character line finishes with a defined score', () => {
    const long = Array.from({ length: 15000 }, (_, index) => `w${index % 997}`).join(' ');
    expect(long.length).toBeGreaterThan(60000);
    expect(sentenceTer(long, long).score).toBe(0);
    const result = sentenceTer('x'.repeat(100000), long);
    close(result.score, 100);
  });
  test('a 100k-character repetition loop against a short reference', () => {
    // 25,000 words "the cat the cat …" vs 6: keep the, cat, the; 3 substitutions; delete 24,994 words
    const result = sentenceTer('the cat '.repeat(12500), 'the cat sat on the mat');
    expect(result.numEdits).toBe(24997);
    close(result.score, (24997 / 6) * 100);
  });
  test('TER >= 0; identity is 0 (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', 'b', 'c', 'd', 'e'), { maxLength: 14 }), fc.array(fc.constantFrom('a', 'b', 'c', 'd', 'e'), { maxLength: 14 }), (h, r) => {
        const result = sentenceTer(h.join(' '), r.join(' '));
        expect(result.score >= 0).toBe(true);
        // never more edits than plain Levenshtein without shifts
        expect(result.numEdits).toBeLessThanOrEqual(Math.max(h.length, r.length));
        expect(sentenceTer(r.join(' '), r.join(' ')).score).toBe(0);
      }),
      { numRuns: 300, seed: 20251122 },
    );
  });
});
