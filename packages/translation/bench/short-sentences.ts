/**
 * Short sentences (2-9 words) in 12 languages, written for the language-identification
 * measurement: [ISO 639-1 code, sentence].
 */
export const SHORT_SENTENCES: ReadonlyArray<readonly [string, string]> = [
  ['en', 'Thank you very much.'], ['en', 'Where is the station?'], ['en', 'The weather is nice today.'], ['en', 'I am reading a book.'], ['en', 'Please close the door.'], ['en', 'We will arrive tomorrow morning.'],
  ['de', 'Vielen Dank für alles.'], ['de', 'Wo ist der Bahnhof?'], ['de', 'Das Wetter ist heute schön.'], ['de', 'Ich lese ein Buch.'], ['de', 'Bitte schließen Sie die Tür.'], ['de', 'Wir kommen morgen früh an.'],
  ['fr', 'Merci beaucoup pour tout.'], ['fr', 'Où est la gare ?'], ['fr', 'Il fait beau aujourd\'hui.'], ['fr', 'Je lis un livre.'], ['fr', 'Fermez la porte, s\'il vous plaît.'], ['fr', 'Nous arriverons demain matin.'],
  ['es', 'Muchas gracias por todo.'], ['es', '¿Dónde está la estación?'], ['es', 'Hoy hace buen tiempo.'], ['es', 'Estoy leyendo un libro.'], ['es', 'Por favor, cierra la puerta.'], ['es', 'Llegaremos mañana por la mañana.'],
  ['pt', 'Muito obrigado por tudo.'], ['pt', 'Onde fica a estação?'], ['pt', 'O tempo está bom hoje.'], ['pt', 'Estou lendo um livro.'], ['pt', 'Por favor, feche a porta.'], ['pt', 'Chegaremos amanhã de manhã.'],
  ['it', 'Grazie mille per tutto.'], ['it', 'Dov\'è la stazione?'], ['it', 'Oggi il tempo è bello.'], ['it', 'Sto leggendo un libro.'], ['it', 'Per favore, chiudi la porta.'], ['it', 'Arriveremo domani mattina.'],
  ['nl', 'Hartelijk dank voor alles.'], ['nl', 'Waar is het station?'], ['nl', 'Het weer is mooi vandaag.'], ['nl', 'Ik lees een boek.'], ['nl', 'Doe de deur dicht, alsjeblieft.'], ['nl', 'We komen morgenochtend aan.'],
  ['ru', 'Большое спасибо за всё.'], ['ru', 'Где находится вокзал?'], ['ru', 'Сегодня хорошая погода.'], ['ru', 'Я читаю книгу.'], ['ru', 'Пожалуйста, закройте дверь.'], ['ru', 'Мы приедем завтра утром.'],
  ['uk', 'Дуже дякую за все.'], ['uk', 'Де знаходиться вокзал?'], ['uk', 'Сьогодні гарна погода.'], ['uk', 'Я читаю книжку.'], ['uk', 'Будь ласка, зачиніть двері.'], ['uk', 'Ми приїдемо завтра вранці.'],
  ['zh', '非常感谢。'], ['zh', '火车站在哪里？'], ['zh', '今天天气很好。'], ['zh', '我在看书。'], ['zh', '请关上门。'], ['zh', '我们明天早上到。'],
  ['ja', 'どうもありがとう。'], ['ja', '駅はどこですか？'], ['ja', '今日はいい天気です。'], ['ja', '本を読んでいます。'], ['ja', 'ドアを閉めてください。'], ['ja', '明日の朝に着きます。'],
  ['tr', 'Her şey için çok teşekkürler.'], ['tr', 'İstasyon nerede?'], ['tr', 'Bugün hava güzel.'], ['tr', 'Bir kitap okuyorum.'], ['tr', 'Lütfen kapıyı kapatın.'], ['tr', 'Yarın sabah varacağız.'],
];
