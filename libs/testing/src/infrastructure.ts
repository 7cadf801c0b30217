import { execFileSync } from 'node:child_process';
import { Socket } from 'node:net';

export interface Infrastructure {
  kafkaBrokers: string;
  postgresAdminUrl: string;
}

const DEFAULT_POSTGRES_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * Finds the real Kafka and Postgres the integration tests run against: environment first
 * (KAFKA_BROKERS, PG_ADMIN_URL), then containers if a Docker engine exists, else a loud failure.
 * Never a skip: a test that cannot reach its infrastructure has not passed.
 */
export async function resolveInfrastructure(): Promise<Infrastructure> {
  const kafkaBrokers = process.env.KAFKA_BROKERS || (await fromContainers('kafka'));
  const postgresAdminUrl = process.env.PG_ADMIN_URL || DEFAULT_POSTGRES_ADMIN_URL;
  for (const broker of kafkaBrokers.split(',')) {
    const [host, port] = broker.split(':');
    if (!(await canConnect(host, Number(port)))) {
      throw new Error(`no Kafka broker answers at ${broker}; run the tests with \`npm test\` (it starts one) or set KAFKA_BROKERS`);
    }
  }
  try {
    execFileSync('psql', [postgresAdminUrl, '-Atqc', 'SELECT 1'], { stdio: 'pipe' });
  } catch (error) {
    throw new Error(
      `PostgreSQL does not answer at ${postgresAdminUrl}; run \`npm test\` or set PG_ADMIN_URL (${(error as Error).message})`,
      { cause: error },
    );
  }
  return { kafkaBrokers, postgresAdminUrl };
}

async function fromContainers(what: string): Promise<string> {
  let testcontainers: typeof import('testcontainers');
  try {
    testcontainers = await import('testcontainers');
    await testcontainers.getContainerRuntimeClient();
  } catch (error) {
    throw new Error(
      `no ${what} configured (KAFKA_BROKERS is not set) and no container engine to start one (${(error as Error).message}). ` +
        'Run the tests with `npm test`, which starts a local broker.',
      { cause: error },
    );
  }
  const container = await new testcontainers.GenericContainer('apache/kafka:4.1.1')
    .withExposedPorts({ container: 9092, host: 19092 })
    .withEnvironment({
      KAFKA_NODE_ID: '1',
      KAFKA_PROCESS_ROLES: 'broker,controller',
      KAFKA_LISTENERS: 'PLAINTEXT://:9092,CONTROLLER://:9093',
      KAFKA_ADVERTISED_LISTENERS: 'PLAINTEXT://localhost:19092',
      KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
      KAFKA_CONTROLLER_QUORUM_VOTERS: '1@localhost:9093',
      KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
      KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false',
    })
    .start();
  return `${container.getHost()}:19092`;
}

function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    socket.setTimeout(2000);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
    socket.once('error', () => resolve(false));
    socket.connect(port, host);
  });
}
