import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repositoryRoot, ServiceName, TestStack } from '@plo/testing';

const ROOT = repositoryRoot();
const OUT = join(ROOT, '.local', 'openapi');

/**
 * The OpenAPI documents are what councils' and courts' developers generate clients from: Redocly's
 * recommended rules must find nothing in them, every operation must say what it is for, what it
 * answers on success (with a schema) and which errors it can answer, and it must declare the bearer scheme.
 */
describe('OpenAPI documents a standard client can use', () => {
  const stack = new TestStack();
  const documents = {} as Record<ServiceName, any>;

  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    const started = await Promise.all((['cases', 'plo', 'alerting'] as const).map((name) => stack.service(name).start()));
    for (const service of started) {
      documents[service.name] = await (await fetch(`${service.url}/docs/openapi.json`)).json();
      writeFileSync(join(OUT, `${service.name}.json`), JSON.stringify(documents[service.name], null, 2));
    }
  }, 120_000);
  afterAll(() => stack.stop(), 60_000);

  it.each(['cases', 'plo', 'alerting'] as const)(
    '%s: redocly lint (recommended) finds no problem',
    (name) => {
      let output: string;
      try {
        output = execFileSync('npx', ['redocly', 'lint', '--extends=recommended', '--format=json', join(OUT, `${name}.json`)], {
          cwd: ROOT,
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'ignore'],
        });
      } catch (error) {
        output = (error as { stdout?: string }).stdout ?? '';
      }
      const report = JSON.parse(output) as {
        problems: { ruleId: string; severity: string; message: string; location: { pointer: string }[] }[];
      };
      expect(report.problems.map((p) => `${p.severity} ${p.ruleId} at ${p.location[0]?.pointer}: ${p.message}`)).toEqual([]);
    },
    60_000,
  );

  it.each(['cases', 'plo', 'alerting'] as const)(
    '%s: every operation has a summary, a 2xx with a schema, its errors and the bearer scheme',
    (name) => {
      const document = documents[name];
      expect(document.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
      const lacking: string[] = [];
      for (const [path, item] of Object.entries<any>(document.paths)) {
        for (const [method, operation] of Object.entries<any>(item)) {
          const id = `${method.toUpperCase()} ${path}`;
          if (!operation.summary) lacking.push(`${id}: no summary`);
          const success = Object.entries<any>(operation.responses).filter(([status]) => status.startsWith('2'));
          if (!success.length) lacking.push(`${id}: no 2xx response`);
          for (const [status, response] of success) {
            if (status !== '204' && !Object.values<any>(response.content ?? {}).some((media) => media.schema))
              lacking.push(`${id}: ${status} has no schema`);
          }
          if (!Object.keys(operation.responses).some((status) => status.startsWith('4'))) lacking.push(`${id}: no error response`);
        }
      }
      expect(lacking).toEqual([]);
    },
  );
});
