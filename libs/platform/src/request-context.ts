import { AsyncLocalStorage } from 'node:async_hooks';

export interface RequestContext {
  correlationId: string;
  causationId?: string;
  /** `council/subject` of the authenticated caller, for logs. */
  principal?: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

/** Correlation travels implicitly through async calls so every log line and event can carry it. */
export function runWithContext<T>(context: RequestContext, work: () => T): T {
  return storage.run(context, work);
}

export function currentContext(): RequestContext | undefined {
  return storage.getStore();
}
