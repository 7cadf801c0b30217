import createClient, { type Client } from 'openapi-fetch';
import type { paths as AlertingPaths } from './generated/alerting';
import type { paths as CasesPaths } from './generated/cases';
import type { paths as PloPaths } from './generated/plo';

export type { AlertingPaths, CasesPaths, PloPaths };

/**
 * Typed clients of the three services, generated from their OpenAPI documents (openapi-typescript;
 * test/openapi-conformance.int-spec.ts fails when a document and its generated types differ, and
 * `npm run api-client` regenerates them). A call that the documents do not describe does not compile.
 */
export interface ApiClients {
  cases: Client<CasesPaths>;
  plo: Client<PloPaths>;
  alerting: Client<AlertingPaths>;
}

export interface ServiceUrls {
  cases: string;
  plo: string;
  alerting: string;
}

/** Clients that send `token()` as the bearer token on every request (a fresh one each time, if it changes). */
export function apiClients(urls: ServiceUrls, token: () => Promise<string>): ApiClients {
  const authorise = {
    async onRequest({ request }: { request: Request }) {
      request.headers.set('authorization', `Bearer ${await token()}`);
      return request;
    },
  };
  const cases = createClient<CasesPaths>({ baseUrl: urls.cases });
  const plo = createClient<PloPaths>({ baseUrl: urls.plo });
  const alerting = createClient<AlertingPaths>({ baseUrl: urls.alerting });
  for (const client of [cases, plo, alerting] as Client<object>[]) client.use(authorise);
  return { cases, plo, alerting };
}
