import { TypeOrmModuleOptions } from '@nestjs/typeorm';
import { MixedList, EntitySchema } from 'typeorm';

/**
 * Each service owns its own database and its migrations; the schema is never synchronised from
 * entities. Migrations run at start-up (and by `npm run migrate`), inside one transaction each.
 */
export function databaseOptions(
  url: string,
  migrations: MixedList<Function>,
  entities: MixedList<Function | string | EntitySchema> = [],
): TypeOrmModuleOptions {
  return {
    type: 'postgres',
    url,
    entities,
    migrations,
    migrationsRun: true,
    migrationsTransactionMode: 'each',
    synchronize: false,
    extra: { max: 10, connectionTimeoutMillis: 5000 },
    // Keep trying while Postgres restarts; a service that gives up on start would need a babysitter.
    retryAttempts: 30,
    retryDelay: 1000,
  };
}
