import type { DataSource, EntityManager, QueryRunner } from 'typeorm';

/**
 * What a store sees of a database transaction: SQL in, rows out. Stores and services are written
 * against this, not TypeORM's EntityManager, so the ORM stays a detail of `libs/messaging` and every
 * statement answers the same way: an INSERT, UPDATE or DELETE with RETURNING gives its rows, and one
 * without gives none (TypeORM's `query` answers `[rows, count]` for those).
 */
export interface Transaction {
  query<T = Record<string, unknown>>(sql: string, parameters?: unknown[]): Promise<T[]>;
  /** False once the transaction has committed or rolled back, or for a plain connection. */
  readonly inTransaction: boolean;
}

class RunnerTransaction implements Transaction {
  constructor(private readonly runner: QueryRunner) {}

  async query<T>(sql: string, parameters?: unknown[]): Promise<T[]> {
    const result = await this.runner.query(sql, parameters as unknown[], true);
    return (result.records ?? []) as T[];
  }

  get inTransaction(): boolean {
    return this.runner.isTransactionActive;
  }
}

/** The transaction a query runner holds. */
export function transactionOf(runner: QueryRunner): Transaction {
  return new RunnerTransaction(runner);
}

/**
 * The transaction an EntityManager from `DataSource.transaction` runs in. Only for code at the edge
 * of TypeORM (the inbox, the unit of work, migrations); everything else receives a Transaction.
 */
export function transactionOfManager(manager: EntityManager): Transaction {
  if (!manager.queryRunner) throw new Error('this EntityManager is not bound to a transaction');
  return transactionOf(manager.queryRunner);
}

/**
 * Reads outside a transaction: each statement on its own, with no BEGIN and COMMIT around it (two
 * round trips of a single-statement read's three). For SELECTs only; a write goes through a change.
 */
export function readsOf(dataSource: DataSource): Transaction {
  return {
    inTransaction: false,
    query: async <T>(sql: string, parameters?: unknown[]) => (await dataSource.query(sql, parameters)) as T[],
  };
}
