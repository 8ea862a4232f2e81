import type { ProgressEvent } from '@mixreward/core';

/**
 * Writes a one-line progress bar to a TTY stream, or nothing when the stream is not a TTY and not forced.
 * While streaming, `total` is the number of lines read so far; `finish()` ends the TTY line.
 */
export function createProgressBar(stream: NodeJS.WritableStream & { isTTY?: boolean }, options: { force?: boolean; label?: string } = {}) {
  const enabled = options.force === true || stream.isTTY === true;
  const started = Date.now();
  let lastDraw = 0;
  let lastLineDone = -1;
  const label = options.label ?? 'scoring';
  let drawn = false;
  return {
    /** Update with a progress event; redraws at most every 100 ms (TTY) or every 10% (non-TTY). */
    update(event: ProgressEvent, force = false, detail?: string) {
      if (!enabled || event.total === 0) return;
      const now = Date.now();
      const seconds = (now - started) / 1000;
      const rate = seconds > 0 ? event.done / seconds : 0;
      const fraction = event.done / event.total;
      const { ok, skipped, error, timeout } = event.counts;
      const text = `${label} ${event.done}/${event.total} (${(fraction * 100).toFixed(0)}%) ok ${ok} skipped ${skipped} error ${error} timeout ${timeout} ${rate.toFixed(0)}/s${detail ? ` ${detail}` : ''}`;
      if (stream.isTTY) {
        if (!force && now - lastDraw < 100 && event.done < event.total) return;
        lastDraw = now;
        const width = 20;
        const filled = Math.round(fraction * width);
        stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${text}\u001b[K`);
        drawn = true;
      } else {
        const step = Math.floor(fraction * 10);
        if (step === lastLineDone && event.done < event.total) return;
        lastLineDone = step;
        stream.write(`${text}\n`);
      }
    },
    /** End the bar's line on a TTY (once the run is over). */
    finish() {
      if (drawn) stream.write('\n');
      drawn = false;
    },
  };
}
