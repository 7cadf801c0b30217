import 'reflect-metadata';
import { DataSource, DataSourceOptions } from 'typeorm';
import { databaseOptions, loadEnvironmentOrExit } from '@plo/platform';
import { AlertingEnvironment } from './alerting.environment';
import { ALERTING_MIGRATIONS } from './app.module';
import { Rebuilder } from './rebuild/rebuilder';

/**
 * Rebuilds alerting's projection by replaying the cases and proceedings topics from the beginning.
 * Stop every alerting instance first (the command refuses while the consumer group has members),
 * run `node dist/apps/alerting/src/rebuild.js` with the service's environment, then start the
 * service: it carries on from its own offsets, and events the rebuild already applied are skipped.
 * Prints a JSON summary (events replayed, events per second) on stdout.
 */
async function main() {
  const env = loadEnvironmentOrExit(AlertingEnvironment);
  const dataSource = new DataSource({
    ...(databaseOptions(env.DATABASE_URL, ALERTING_MIGRATIONS) as DataSourceOptions),
    extra: { max: 8 },
  });
  await dataSource.initialize();
  try {
    const summary = await new Rebuilder(dataSource, env, env.REBUILD_BATCH_SIZE).run();
    process.stdout.write(`${JSON.stringify(summary)}\n`);
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error) => {
  process.stderr.write(`rebuild failed: ${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
