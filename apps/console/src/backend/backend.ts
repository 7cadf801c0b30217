import { Injectable } from '@nestjs/common';
import { apiClients, type ApiClients } from '@plo/api-client';
import { ConsoleEnvironment } from '../console.environment';
import type { SignedInSession } from '../sessions/session';
import { SignInService } from '../sign-in/sign-in.service';

/** A service's refusal, carried to the page as the same status (a 404 stays a 404). */
export class UpstreamError extends Error {
  constructor(
    readonly status: number,
    readonly service: string,
    readonly detail: string,
  ) {
    super(`${service} answered ${status}: ${detail}`);
  }
}

interface FetchResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The data of a typed client call, or an UpstreamError with the service's own problem detail. */
export async function answer<T>(service: string, call: Promise<FetchResult<T>>): Promise<T> {
  const { data, error, response } = await call;
  if (response.ok) return data as T;
  const problem = error as { detail?: string; title?: string; message?: string } | undefined;
  throw new UpstreamError(response.status, service, problem?.detail ?? problem?.title ?? problem?.message ?? response.statusText);
}

/**
 * The three services, called as the signed-in person with their own token: access control stays in
 * each service, and the console sees exactly what its user may see.
 */
@Injectable()
export class Backend {
  constructor(
    private readonly env: ConsoleEnvironment,
    private readonly signIn: SignInService,
  ) {}

  as(session: SignedInSession): ApiClients {
    return apiClients({ cases: this.env.CASES_URL, plo: this.env.PLO_URL, alerting: this.env.ALERTING_URL }, () =>
      this.signIn.accessToken(session),
    );
  }
}
