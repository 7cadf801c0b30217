/**
 * Runs a service's database migrations without starting the service (they also run at start-up):
 *   npm run migrate -- cases|plo|alerting [--revert]
 * DATABASE_URL names the service's database (default: the local one for that service).
 */
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { ALERTING_MIGRATIONS } from '../apps/alerting/src/app.module';
import { CASES_MIGRATIONS } from '../apps/cases/src/app.module';
import { PLO_MIGRATIONS } from '../apps/plo/src/app.module';

const SERVICES = {
  cases: { migrations: CASES_MIGRATIONS, database: 'plo_cases' },
  plo: { migrations: PLO_MIGRATIONS, database: 'plo_proceedings' },
  alerting: { migrations: ALERTING_MIGRATIONS, database: 'plo_alerting' },
} as const;

async function main() {
  const [name, flag] = process.argv.slice(2);
  const service = SERVICES[name as keyof typeof SERVICES];
  if (!service) {
    console.error(`usage: npm run migrate -- ${Object.keys(SERVICES).join('|')} [--revert]`);
    process.exit(64);
  }
  const url = process.env.DATABASE_URL ?? `postgres://plo:plo@127.0.0.1:5432/${service.database}`;
  const dataSource = new DataSource({ type: 'postgres', url, migrations: [...service.migrations], migrationsTransactionMode: 'each' });
  await dataSource.initialize();
  try {
    if (flag === '--revert') {
      await dataSource.undoLastMigration();
      console.log(`${name}: reverted the last migration`);
    } else {
      const applied = await dataSource.runMigrations();
      console.log(applied.length ? `${name}: applied ${applied.map((m) => m.name).join(', ')}` : `${name}: up to date`);
    }
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error) => {
  console.error(`migration failed: ${(error as Error).message}`);
  process.exit(1);
});
