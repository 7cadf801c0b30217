import { repositoryRoot } from './repository-root';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { mintDevelopmentToken, TokenClaims } from '@plo/platform';
import { AppName, ServiceProcess } from './service-process';

const ROOT = repositoryRoot();
const TEST_KEYS_FILE = join(ROOT, '.local', 'auth', 'test-keys.json');
const DEFAULT_POSTGRES_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
let nextPort = 0;

/**
 * One isolated copy of the system for a test file: its own databases and its own Kafka namespace
 * (topics and consumer groups), on the real broker and server, so test files cannot see each other.
 */
export class TestStack {
  readonly id = randomBytes(4).toString('hex');
  readonly namespace = `t${this.id}.`;
  readonly kafka: Kafka;
  private readonly services: ServiceProcess[] = [];
  private readonly databases: string[] = [];
  private readonly clients: Client[] = [];

  private readonly brokers: string[];
  private readonly postgresAdminUrl: string;

  /**
   * `brokers` overrides KAFKA_BROKERS and `postgresAdminUrl` overrides PG_ADMIN_URL, for a test that
   * runs (and kills) its own broker or database server.
   */
  constructor(options: { brokers?: string; postgresAdminUrl?: string } = {}) {
    this.brokers = (options.brokers ?? process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
    this.postgresAdminUrl = options.postgresAdminUrl ?? process.env.PG_ADMIN_URL ?? DEFAULT_POSTGRES_ADMIN_URL;
    this.kafka = new Kafka({ clientId: `test-${this.id}`, brokers: this.brokers, logLevel: logLevel.NOTHING });
  }

  /** The stack's database for a service, or for `owner`, a test's own consumer. */
  database(owner: string): string {
    return `plo_test_${this.id}_${owner}`;
  }

  /** Creates the database of `owner` if needed; returns the URL its process connects with. */
  ensureDatabase(owner: string): string {
    const database = this.database(owner);
    if (!this.databases.includes(database)) {
      this.postgresScript('ensure-db', database);
      this.databases.push(database);
    }
    return `${this.serviceDatabaseBase()}/${database}`;
  }

  /** A service process wired to this stack (not started). */
  service<Name extends AppName>(name: Name, extraEnv: Record<string, string> = {}): ServiceProcess<Name> {
    const databaseUrl = this.ensureDatabase(name);
    const port = this.freePort();
    const service = new ServiceProcess(name, {
      DATABASE_URL: databaseUrl,
      KAFKA_BROKERS: this.brokers.join(','),
      KAFKA_NAMESPACE: this.namespace,
      KAFKA_TOPIC_PARTITIONS: '3',
      HTTP_PORT: String(port),
      OUTBOX_POLL_INTERVAL_MS: '50',
      AUTH_MODE: 'development',
      AUTH_DEV_KEYS_FILE: TEST_KEYS_FILE,
      RATE_LIMIT_PER_MINUTE: '100000',
      CONSUMER_RETRY_BACKOFF_MS: '20',
      ...extraEnv,
    });
    this.services.push(service);
    return service;
  }

  /**
   * The console wired to this stack's services (not started), signing in with the development
   * personas of `councilId` against the test keys, unless `extraEnv` says otherwise.
   */
  console(
    services: { cases: ServiceProcess; plo: ServiceProcess; alerting: ServiceProcess },
    extraEnv: Record<string, string> = {},
  ): ServiceProcess<'console'> {
    const port = this.freePort();
    return this.service('console', {
      HTTP_PORT: String(port),
      CONSOLE_URL: `http://127.0.0.1:${port}`,
      CASES_URL: services.cases.url,
      PLO_URL: services.plo.url,
      ALERTING_URL: services.alerting.url,
      NODE_ENV: 'test',
      SIGN_IN: 'development',
      DEMO_COUNCIL: 'demo-council',
      ...extraEnv,
    });
  }

  /**
   * The next of this test process's ten ports that none of the stack's running services holds: a
   * scenario that starts and stops instances goes round the ten more than once.
   */
  private freePort(): number {
    const taken = new Set(this.services.filter((service) => service.running).map((service) => service.port));
    for (let tries = 0; tries < 10; tries += 1) {
      const port = 14000 + (process.pid % 500) * 10 + (nextPort++ % 10);
      if (!taken.has(port)) return port;
    }
    throw new Error("all ten of this test process's service ports are taken by running services");
  }

  /** The database of a service (or of another owner), as the service itself connects to it. */
  connectionString(owner: string): string {
    return `${this.serviceDatabaseBase()}/${this.database(owner)}`;
  }

  async sql<T = Record<string, unknown>>(owner: string, text: string, values: unknown[] = []): Promise<T[]> {
    const client = new Client({ connectionString: this.connectionString(owner) });
    await client.connect();
    try {
      return (await client.query(text, values)).rows as T[];
    } finally {
      await client.end();
    }
  }

  /** A bearer token the stack's services accept (development keys). */
  async token(claims: TokenClaims, options: { expiresInSeconds?: number; issuedAt?: number; audience?: string } = {}): Promise<string> {
    return mintDevelopmentToken(
      { issuer: 'urn:plo:dev-issuer', audience: options.audience ?? 'plo-api', developmentKeysFile: TEST_KEYS_FILE },
      claims,
      options,
    );
  }

  /** `Authorization` header for a caller. */
  async as(claims: TokenClaims): Promise<Record<string, string>> {
    return { authorization: `Bearer ${await this.token(claims)}` };
  }

  topic(name: string): string {
    return this.namespace + name;
  }

  /** Creates a (namespaced) topic of one copy, and returns once its partitions have leaders. */
  async createTopic(name: string, numPartitions = 1) {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      await admin.createTopics({ waitForLeaders: true, topics: [{ topic: this.topic(name), numPartitions, replicationFactor: 1 }] });
    } finally {
      await admin.disconnect();
    }
  }

  /** Reads every message currently on a topic (from the beginning). */
  async readTopic(topic: string, minimum = 0, timeoutMs = 20_000) {
    const consumer = this.kafka.consumer({ groupId: `reader-${randomBytes(4).toString('hex')}` });
    const seen: { key: string | null; value: string; headers: Record<string, string>; partition: number; offset: string }[] = [];
    await consumer.connect();
    await consumer.subscribe({ topic: this.topic(topic), fromBeginning: true });
    const admin = this.kafka.admin();
    await admin.connect();
    const offsets = await admin.fetchTopicOffsets(this.topic(topic));
    await admin.disconnect();
    const expected = offsets.reduce((sum, p) => sum + Number(BigInt(p.high) - BigInt(p.low)), 0);
    const target = Math.max(expected, minimum);
    await consumer.run({
      eachMessage: async ({ message, partition }) => {
        seen.push({
          key: message.key?.toString() ?? null,
          value: message.value?.toString() ?? '',
          headers: Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)])),
          partition,
          offset: message.offset,
        });
      },
    });
    const deadline = Date.now() + timeoutMs;
    while (seen.length < target && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    await consumer.disconnect();
    return seen;
  }

  async produce(topic: string, messages: { key: string; value: string }[]) {
    const producer = this.kafka.producer();
    await producer.connect();
    await producer.send({ topic: this.topic(topic), messages, acks: -1 });
    await producer.disconnect();
  }

  async stop() {
    await Promise.all(this.services.map((service) => service.kill('SIGTERM')));
    await Promise.all(this.clients.map((client) => client.end()));
    if (this.databases.length && !process.env.KEEP_TEST_DATABASES) {
      this.postgresScript('drop-db', ...this.databases);
    }
    const admin = this.kafka.admin();
    await admin.connect();
    const mine = (await admin.listTopics()).filter((topic) => topic.startsWith(this.namespace));
    if (mine.length) await admin.deleteTopics({ topics: mine }).catch(() => undefined);
    await admin.disconnect();
  }

  /** Services connect as the service role, as in production; only the scripts use the admin login. */
  private serviceDatabaseBase(): string {
    return `postgres://plo:plo@${new URL(this.postgresAdminUrl).host}`;
  }

  private postgresScript(...args: string[]) {
    execFileSync(join(ROOT, 'scripts', 'postgres.sh'), args, {
      stdio: 'pipe',
      env: { ...process.env, PG_ADMIN_URL: this.postgresAdminUrl },
    });
  }
}
