import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { resolveInfrastructure } from '@plo/testing';

export default async function globalSetup() {
  const infrastructure = await resolveInfrastructure();
  process.env.KAFKA_BROKERS = infrastructure.kafkaBrokers;
  process.env.PG_ADMIN_URL = infrastructure.postgresAdminUrl;
  for (const service of ['cases', 'plo', 'alerting']) {
    const entry = join(__dirname, '..', 'dist', 'apps', service, 'src', 'main.js');
    if (!existsSync(entry)) throw new Error(`${entry} is missing: run the tests with \`npm test\`, which builds first`);
  }
}
