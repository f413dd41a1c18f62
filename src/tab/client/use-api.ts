import { useEffect, useState } from 'react';
import { ApiFailure, type Api } from './api.js';

export type Loaded<T> =
  { state: 'loading' } | { state: 'failed'; error: ApiFailure } | { state: 'ready'; data: T };

export function asFailure(error: unknown): ApiFailure {
  if (error instanceof ApiFailure) return error;
  return new ApiFailure(0, 'Something went wrong in the page. Reload it to try again.', null);
}

const refreshes = new EventTarget();

/** Asks every view to load its data again (after a change made elsewhere, e.g. in a dialog). */
export function refreshAll(): void {
  refreshes.dispatchEvent(new Event('refresh'));
}

/** GETs a path with the reader's token whenever the path or its parameters change. */
export function useApiData<T>(api: Api, path: string, params?: Record<string, string>): Loaded<T> {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const onRefresh = () => setTick((n) => n + 1);
    refreshes.addEventListener('refresh', onRefresh);
    return () => refreshes.removeEventListener('refresh', onRefresh);
  }, []);
  const key = `${path}?${new URLSearchParams(params ?? {}).toString()}`;
  const [result, setResult] = useState<{ key: string; loaded: Loaded<T> }>({
    key,
    loaded: { state: 'loading' },
  });
  useEffect(() => {
    let current = true;
    // A refresh of the same data keeps showing what is there until the new answer comes.
    setResult((shown) => (shown.key === key ? shown : { key, loaded: { state: 'loading' } }));
    api.get<T>(path, params).then(
      (data) => {
        if (current) setResult({ key, loaded: { state: 'ready', data } });
      },
      (error: unknown) => {
        if (current) setResult({ key, loaded: { state: 'failed', error: asFailure(error) } });
      },
    );
    return () => {
      current = false;
    };
    // The key stands for path and params; tick is a refresh.
  }, [api, key, tick]);
  return result.key === key ? result.loaded : { state: 'loading' };
}
