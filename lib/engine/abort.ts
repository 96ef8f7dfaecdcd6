import { JoinCanceledError } from '@/lib/core/errors';

/**
 * `promise`, or JoinCanceledError as soon as `signal` fires (the promise itself runs on): a
 * join's wait for work that is not its own (a probe, a check) ends at Cancel; the work does not.
 */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new JoinCanceledError());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new JoinCanceledError());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
