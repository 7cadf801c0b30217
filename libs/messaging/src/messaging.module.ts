import { DynamicModule, Inject, Injectable, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { CompressionTypes, type Kafka, type Producer } from 'kafkajs';
import { DataSource } from 'typeorm';
import { deadLetterTopic, ServiceTopology } from '@plo/contracts';
import { BaseEnvironment, HealthRegistry, MetricsRegistry } from '@plo/platform';
import { DeadLetterController, DeadLetterCouncils, DeadLetterService } from './dead-letters';
import { DECODERS } from './decoders';
import { InboxProcessor } from './inbox';
import { KafkaInboxServer } from './inbox-server';
import { createKafka, createOrderedProducer, ensureTopics, KafkaConnectionSettings } from './kafka-client';
import { OutboxRelay, OutboxWriter } from './outbox';
import { EVENT_PRODUCER, EventProducer, UnitOfWork } from './unit-of-work';

/** A service's messaging is its place in the topology (`Topology` in libs/contracts). */
export type MessagingOptions = ServiceTopology;

export const KAFKA = Symbol('KAFKA');
export const PRODUCER = Symbol('PRODUCER');
const OPTIONS = Symbol('MESSAGING_OPTIONS');
const ENVIRONMENT = Symbol('MESSAGING_ENVIRONMENT');

/** Connects the producer and creates every topic this service touches before anything is relayed. */
@Injectable()
class MessagingLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(PRODUCER) private readonly producer: Producer,
    @Inject(OPTIONS) private readonly options: MessagingOptions,
    @Inject(ENVIRONMENT) private readonly env: BaseEnvironment,
    private readonly dataSource: DataSource,
    private readonly health: HealthRegistry,
    private readonly metrics: MetricsRegistry,
    private readonly deadLetters: DeadLetterService,
  ) {}

  async onModuleInit() {
    const topics = [...this.options.produces, ...this.options.consumes.map((consumed) => consumed.topic)].map(
      (topic) => this.env.KAFKA_NAMESPACE + topic,
    );
    if (this.options.consumes.length) topics.push(this.env.KAFKA_NAMESPACE + deadLetterTopic(this.options.serviceName));
    await ensureTopics(this.kafka, topics, this.env.KAFKA_TOPIC_PARTITIONS, this.env.KAFKA_REPLICATION_FACTOR);
    await this.producer.connect();
    this.registerHealth();
    this.registerMetrics();
  }

  async onApplicationShutdown() {
    await this.producer.disconnect();
  }

  private registerHealth() {
    this.health.register('database', async () => {
      await this.dataSource.query('SELECT 1');
      return { status: 'up' };
    });
    this.health.register('kafka', async () => {
      const admin = this.kafka.admin();
      await admin.connect();
      try {
        const cluster = await admin.describeCluster();
        return { status: 'up', detail: `${cluster.brokers.length} broker(s)` };
      } finally {
        await admin.disconnect();
      }
    });
  }

  private registerMetrics() {
    this.metrics.gauge('outbox_backlog', 'Committed events not yet published to Kafka', [], async (gauge) => {
      const [{ count }] = await this.dataSource.query(
        'SELECT coalesce(sum(message_count), 0)::int AS count FROM outbox WHERE published_at IS NULL',
      );
      gauge.set(count);
    });
    this.metrics.gauge('dead_letters_open', 'Messages this service could not apply and nobody has replayed yet', [], async (gauge) => {
      gauge.set(await this.deadLetters.count());
    });
    if (!this.options.consumes.length) return;
    this.metrics.gauge('consumer_lag', 'Messages on each topic this service has not yet applied', ['topic'], async (gauge) => {
      const admin = this.kafka.admin();
      await admin.connect();
      try {
        const committed = await admin.fetchOffsets({
          groupId: this.env.KAFKA_NAMESPACE + this.options.serviceName,
          topics: this.options.consumes.map((consumed) => this.env.KAFKA_NAMESPACE + consumed.topic),
        });
        for (const { topic, partitions } of committed) {
          const ends = await admin.fetchTopicOffsets(topic);
          let lag = 0;
          for (const end of ends) {
            const done = partitions.find((p) => p.partition === end.partition);
            const position = done && done.offset !== '-1' ? BigInt(done.offset) : BigInt(end.low);
            lag += Number(BigInt(end.high) - position);
          }
          gauge.set({ topic }, lag);
        }
      } finally {
        await admin.disconnect();
      }
    });
  }
}

/** The broker connection a service's configuration describes (also for commands outside the service). */
export function kafkaSettings(env: BaseEnvironment, clientId: string): KafkaConnectionSettings {
  return {
    clientId,
    brokers: env.KAFKA_BROKERS.split(','),
    ssl: env.KAFKA_SSL,
    ...(env.KAFKA_SASL_MECHANISM
      ? { sasl: { mechanism: env.KAFKA_SASL_MECHANISM, username: env.KAFKA_SASL_USERNAME ?? '', password: env.KAFKA_SASL_PASSWORD ?? '' } }
      : {}),
  };
}

@Module({})
export class MessagingModule {
  static forRoot(env: BaseEnvironment, options: MessagingOptions): DynamicModule {
    return {
      module: MessagingModule,
      global: true,
      controllers: [DeadLetterController],
      providers: [
        { provide: OPTIONS, useValue: options },
        { provide: ENVIRONMENT, useValue: env },
        {
          provide: KAFKA,
          useFactory: () => createKafka(kafkaSettings(env, options.serviceName)),
        },
        { provide: PRODUCER, inject: [KAFKA], useFactory: (kafka: Kafka) => createOrderedProducer(kafka) },
        { provide: OutboxWriter, useFactory: () => new OutboxWriter(env.KAFKA_NAMESPACE) },
        { provide: EVENT_PRODUCER, useValue: { source: options.source, defaultTopic: options.produces[0] } satisfies EventProducer },
        UnitOfWork,
        DeadLetterService,
        DeadLetterCouncils,
        {
          provide: OutboxRelay,
          inject: [DataSource, PRODUCER, OutboxWriter, MetricsRegistry],
          useFactory: (dataSource: DataSource, producer: Producer, writer: OutboxWriter, metrics: MetricsRegistry) => {
            const published = metrics.counter('outbox_published_total', 'Events published from the outbox to Kafka');
            return new OutboxRelay(
              dataSource,
              producer,
              writer,
              {
                enabled: env.OUTBOX_RELAY_ENABLED,
                pollIntervalMs: env.OUTBOX_POLL_INTERVAL_MS,
                batchSize: env.OUTBOX_BATCH_SIZE,
                compression: env.KAFKA_COMPRESSION === 'gzip' ? CompressionTypes.GZIP : CompressionTypes.None,
                retentionHours: 24 * 7,
              },
              (count) => published.inc(count),
            );
          },
        },
        {
          provide: KafkaInboxServer,
          inject: [KAFKA, DataSource, OutboxWriter, MetricsRegistry, DeadLetterService, DeadLetterCouncils],
          useFactory: (
            kafka: Kafka,
            dataSource: DataSource,
            outbox: OutboxWriter,
            metrics: MetricsRegistry,
            deadLetters: DeadLetterService,
            councils: DeadLetterCouncils,
          ) => {
            const handled = metrics.histogram(
              'consumer_handler_seconds',
              'Time to apply one consumed message, by outcome',
              ['outcome'],
              [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5],
            );
            return new KafkaInboxServer(
              kafka,
              {
                groupId: env.KAFKA_NAMESPACE + options.serviceName,
                sessionTimeoutMs: env.KAFKA_SESSION_TIMEOUT_MS,
                topics: options.consumes.map((consumed) => env.KAFKA_NAMESPACE + consumed.topic),
                chunkSize: env.CONSUMER_BATCH_SIZE,
                partitionsConsumedConcurrently: 3,
              },
              (resolve) => {
                const formats = new Map(options.consumes.map((consumed) => [env.KAFKA_NAMESPACE + consumed.topic, consumed.format]));
                const processor = new InboxProcessor(
                  dataSource,
                  outbox,
                  {
                    consumerName: options.serviceName,
                    deadLetterTopic: env.KAFKA_NAMESPACE + deadLetterTopic(options.serviceName),
                    maxAttempts: env.CONSUMER_MAX_ATTEMPTS,
                    retryBackoffMs: env.CONSUMER_RETRY_BACKOFF_MS,
                    decoders: new Map([...formats].map(([topic, format]) => [topic, DECODERS[format]])),
                    councilOfSubject: (topic, subject, tx) => councils.lookUp(formats.get(topic)!, subject, tx),
                  },
                  resolve,
                  { handled: (outcome, seconds) => handled.observe({ outcome }, seconds) },
                );
                deadLetters.attach(processor);
                return processor;
              },
            );
          },
        },
        MessagingLifecycle,
      ],
      exports: [KAFKA, PRODUCER, OutboxWriter, UnitOfWork, OutboxRelay, KafkaInboxServer, DeadLetterService, DeadLetterCouncils],
    };
  }
}
