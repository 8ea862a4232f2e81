/**
 * Units written after a value (`5\\text{ cm}`, `15 square centimeters`): which unit a value carries,
 * and the value without it. No conversion is attempted.
 * @module
 */
import { show, transform, type MathNode } from './ast.js';

const UNIT_SYNONYMS: Record<string, string> = {
  centimeter: 'cm', centimetre: 'cm', millimeter: 'mm', millimetre: 'mm', kilometer: 'km', kilometre: 'km', meter: 'm', metre: 'm',
  kilogram: 'kg', gram: 'g', milligram: 'mg', second: 's', sec: 's', minute: 'min', hour: 'h', hr: 'h', inch: 'in', foot: 'ft', feet: 'ft',
  yard: 'yd', mile: 'mi', dollar: '$', cent: '¢', liter: 'l', litre: 'l', milliliter: 'ml', millilitre: 'ml', degree: '°', pound: 'lb',
};

/** The canonical unit multiplied onto a top-level value (`15\text{ cm}^2` → `cm^2`), or undefined. */
/** @internal */
export function unitOf(node: MathNode): string | undefined {
  if (node.kind !== 'mul') return undefined;
  const firstText = node.factors.findIndex(isText);
  if (firstText <= 0 || node.factors.slice(firstText).some((factor) => !isText(factor))) return undefined;
  return node.factors
    .slice(firstText)
    .map((factor) => {
      const power = factor.kind === 'pow' ? `^${show(factor.exponent)}` : '';
      const words = (factor.kind === 'pow' ? factor.base : factor).kind === 'text' ? ((factor.kind === 'pow' ? factor.base : factor) as { value: string }).value : '';
      let squared = '';
      const cleaned = words
        .toLowerCase()
        .replace(/\b(?:square|sq)\b\.?/g, () => {
          squared = '^2';
          return '';
        })
        .replace(/\bcubic\b/g, () => {
          squared = '^3';
          return '';
        })
        .trim()
        .split(/\s+/)
        .map((word) => {
          const singular = word.length > 3 && word.endsWith('s') && !word.endsWith('ss') ? word.slice(0, -1) : word.replace(/^(inch|foot)es$/, '$1');
          return UNIT_SYNONYMS[singular] ?? UNIT_SYNONYMS[word] ?? singular;
        })
        .join(' ');
      return `${cleaned}${power || squared}`;
    })
    .join(' ');
}

export function isText(node: MathNode): boolean {
  return node.kind === 'text' || (node.kind === 'pow' && node.base.kind === 'text');
}

/** Drop unit words (`\text{cm}`, `meters`) multiplied onto a value: `5\text{ cm}` is `5`. */
export function stripUnits(node: MathNode): MathNode {
  return transform(node, (child) => {
    if (child.kind !== 'mul') return child;
    // Units follow the value: `5 cm` loses "cm", but `not 4` keeps its word (and is not 4).
    const firstText = child.factors.findIndex(isText);
    if (firstText <= 0 || child.factors.slice(firstText).some((factor) => !isText(factor))) return child;
    const kept = child.factors.slice(0, firstText);
    return kept.length === 1 ? (kept[0] as MathNode) : { kind: 'mul', factors: kept };
  });
}
