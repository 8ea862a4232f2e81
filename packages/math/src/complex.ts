/**
 * Complex floating-point arithmetic shared by evaluation and numeric comparison.
 * @module
 */

/** A complex number. */
export interface Complex {
  re: number;
  im: number;
}

/** A complex number from its parts. */
export const c = (re: number, im = 0): Complex => ({ re, im });

/** Complex add. */
export function add(a: Complex, b: Complex): Complex {
  return c(a.re + b.re, a.im + b.im);
}
/** Complex mul. */
export function mul(a: Complex, b: Complex): Complex {
  if (a.im === 0 && b.im === 0) return c(a.re * b.re);
  return c(a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re);
}
/** Complex div. */
export function div(a: Complex, b: Complex): Complex {
  if (a.im === 0 && b.im === 0) return c(a.re / b.re);
  const denominator = b.re * b.re + b.im * b.im;
  return c((a.re * b.re + a.im * b.im) / denominator, (a.im * b.re - a.re * b.im) / denominator);
}
/** Complex exp. */
export function exp(a: Complex): Complex {
  const magnitude = Math.exp(a.re);
  return a.im === 0 ? c(magnitude) : c(magnitude * Math.cos(a.im), magnitude * Math.sin(a.im));
}
/** Complex log. */
export function log(a: Complex): Complex {
  if (a.im === 0 && a.re > 0) return c(Math.log(a.re));
  return c(Math.log(Math.hypot(a.re, a.im)), Math.atan2(a.im, a.re));
}
/** Complex pow. */
export function pow(a: Complex, b: Complex): Complex {
  if (b.im === 0 && Number.isInteger(b.re) && a.im === 0) return c(Math.pow(a.re, b.re));
  if (b.im === 0 && a.im === 0 && a.re >= 0) return c(Math.pow(a.re, b.re));
  if (a.re === 0 && a.im === 0) return b.re > 0 ? c(0) : c(NaN);
  if (b.im === 0 && Number.isInteger(b.re) && Math.abs(b.re) <= 64) {
    let result = c(1);
    for (let k = 0; k < Math.abs(b.re); k++) result = mul(result, a);
    return b.re < 0 ? div(c(1), result) : result;
  }
  return exp(mul(b, log(a)));
}
/** Complex sqrt. */
export function sqrt(a: Complex): Complex {
  if (a.im === 0) return a.re >= 0 ? c(Math.sqrt(a.re)) : c(0, Math.sqrt(-a.re));
  return pow(a, c(0.5));
}
/** Complex sin. */
export function sin(a: Complex): Complex {
  return a.im === 0 ? c(Math.sin(a.re)) : c(Math.sin(a.re) * Math.cosh(a.im), Math.cos(a.re) * Math.sinh(a.im));
}
/** Complex cos. */
export function cos(a: Complex): Complex {
  return a.im === 0 ? c(Math.cos(a.re)) : c(Math.cos(a.re) * Math.cosh(a.im), -Math.sin(a.re) * Math.sinh(a.im));
}

/** Both parts finite. */
export function finite(value: Complex): boolean {
  return Number.isFinite(value.re) && Number.isFinite(value.im);
}

/** |value|, >= 0. */
export function magnitude(value: Complex): number {
  return Math.hypot(value.re, value.im);
}

/** `a` and `b` agree within `tolerance` (relative to the larger magnitude, >= 0), or are identical. */
export function close(a: Complex, b: Complex, tolerance: number): boolean {
  const scale = Math.max(1e-300, magnitude(a), magnitude(b));
  return Math.hypot(a.re - b.re, a.im - b.im) <= tolerance * scale || Math.hypot(a.re - b.re, a.im - b.im) === 0;
}
