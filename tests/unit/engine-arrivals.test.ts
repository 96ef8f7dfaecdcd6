import { describe, expect, it } from 'vitest';
import { Arrivals } from '@/lib/engine/arrivals';
import { JoinCanceledError } from '@/lib/core/errors';

describe('Arrivals: a join waits for page audio still arriving', () => {
  it('starts each download once, however often it is asked for', () => {
    const a = new Arrivals();
    expect(a.expect(['x', 'y', 'x'])).toEqual(['x', 'y']);
    expect(a.expect(['y', 'z'])).toEqual(['z']);
    a.end('y');
    expect(a.expect(['y'])).toEqual(['y']);
  });

  it('waits until every download ended, telling how much has arrived', async () => {
    const a = new Arrivals();
    a.expect(['x', 'y']);
    const seen: number[] = [];
    let over = false;
    const wait = a.wait(['x', 'y', 'gone'], (f) => seen.push(f), new AbortController().signal);
    void wait.then(() => (over = true));
    a.progress('x', 0.5);
    a.progress('y', undefined);
    a.end('x');
    await Promise.resolve();
    expect(over).toBe(false);
    a.progress('y', 0.5);
    a.end('y');
    await wait;
    expect(seen).toEqual([0, 0.25, 0.5, 0.75, 1]);
  });

  it('ends the wait at Cancel, not the download', async () => {
    const a = new Arrivals();
    a.expect(['x']);
    const abort = new AbortController();
    const wait = a.wait(['x'], () => undefined, abort.signal);
    abort.abort();
    await expect(wait).rejects.toBeInstanceOf(JoinCanceledError);
    expect(a.has('x')).toBe(true);
  });

  it('does not wait for tracks with no download under way', async () => {
    const a = new Arrivals();
    const seen: number[] = [];
    await a.wait(['x'], (f) => seen.push(f), new AbortController().signal);
    expect(seen).toEqual([]);
  });
});
