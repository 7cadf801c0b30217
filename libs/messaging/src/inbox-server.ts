import { Logger } from '@nestjs/common';
import { CustomTransportStrategy, Server } from '@nestjs/microservices';
import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import { lastValueFrom } from 'rxjs';
import { InboxHandler, InboxProcessor } from './inbox';

export interface InboxServerOptions {
  groupId: string;
  sessionTimeoutMs: number;
  topics: string[];
  chunkSize: number;
  /** Partitions worked on in parallel; each partition stays strictly ordered. */
  partitionsConsumedConcurrently: number;
}

/**
 * A Nest microservice transport that delivers Kafka events to `@EventPattern(<event type>)` handlers
 * with the guarantees Nest's own Kafka server lacks: batch consumption, idempotent application in
 * the handler's database transaction, bounded retries then dead-lettering, and offsets committed
 * only after the database commit.
 */
export class KafkaInboxServer extends Server implements CustomTransportStrategy {
  protected override readonly logger = new Logger(KafkaInboxServer.name);
  private consumer?: Consumer;
  private processor?: InboxProcessor;
  /** Nest's pattern lookup costs about 12 µs a call (it tries to parse every pattern as JSON); handlers are fixed once listening. */
  private readonly handlers = new Map<string, InboxHandler | undefined>();

  constructor(
    private readonly kafka: Kafka,
    private readonly options: InboxServerOptions,
    private readonly createProcessor: (resolve: (type: string) => InboxHandler | undefined) => InboxProcessor,
  ) {
    super();
  }

  async listen(callback: (error?: unknown) => void) {
    try {
      await this.startConsumer();
      callback();
    } catch (error) {
      callback(error);
    }
  }

  private async startConsumer() {
    this.processor = this.createProcessor((type) => {
      if (!this.handlers.has(type)) this.handlers.set(type, this.resolve(type));
      return this.handlers.get(type);
    });
    this.consumer = this.kafka.consumer({
      groupId: this.options.groupId,
      allowAutoTopicCreation: false,
      sessionTimeout: this.options.sessionTimeoutMs,
      heartbeatInterval: Math.min(3_000, Math.floor(this.options.sessionTimeoutMs / 3)),
      maxBytesPerPartition: 2 * 1024 * 1024,
      // A consumer that cannot reach its group coordinator or a partition leader gives up after about
      // three seconds (not the client's 8 tries up to 5 s apart) and kafkajs restarts it, finding both
      // again: a lost broker pauses consuming less. The inbox makes what is redelivered harmless.
      retry: { initialRetryTime: 200, maxRetryTime: 1000, retries: 4 },
    });
    await this.consumer.connect();
    // A new consumer group starts from the beginning: a service deployed later still sees history.
    // Topics another service has just created can take a moment to appear in the broker's metadata.
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.consumer.subscribe({ topics: this.options.topics, fromBeginning: true });
        break;
      } catch (error) {
        if (attempt >= 30) throw error;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently,
      eachBatch: (payload) => this.consumeBatch(payload),
    });
  }

  async close() {
    // Leaving the group cleanly hands partitions to other instances without a session timeout.
    await this.consumer?.disconnect();
  }

  on(): never {
    throw new Error('KafkaInboxServer does not emit transport events');
  }

  unwrap<T>(): T {
    return this.consumer as T;
  }

  get handledTypes(): string[] {
    return [...this.messageHandlers.keys()];
  }

  private resolve(type: string): InboxHandler | undefined {
    const handler = this.getHandlerByPattern(type);
    if (!handler) return undefined;
    const batchKey = (handler.extras as { batchKey?: string } | undefined)?.batchKey;
    const call = async (payload: unknown, context: unknown) => {
      const result = await handler(payload, context);
      await lastValueFrom(this.transformToObservable(result), { defaultValue: undefined });
    };
    return batchKey
      ? { batchKey, handle: (events, context) => call(events, context) }
      : {
          handle: async (events, context) => {
            for (const event of events) await call(event, context);
          },
        };
  }

  private async consumeBatch({ batch, heartbeat, isRunning, isStale, commitOffsetsIfNecessary, resolveOffset }: EachBatchPayload) {
    const processor = this.processor!;
    for (let start = 0; start < batch.messages.length; start += this.options.chunkSize) {
      if (!isRunning() || isStale()) return;
      const chunk = batch.messages.slice(start, start + this.options.chunkSize);
      await this.withInfrastructureRetry(
        () => processor.processChunk(batch.topic, batch.partition, chunk, heartbeat),
        heartbeat,
        isRunning,
      );
      const last = chunk[chunk.length - 1].offset;
      resolveOffset(last);
      await this.consumer!.commitOffsets([
        { topic: batch.topic, partition: batch.partition, offset: (BigInt(last) + 1n).toString() },
      ]).catch((error) => {
        // kafkajs wraps a refused commit (e.g. "not aware of this member" after a broker restart) in a
        // non-retriable error, and a consumer that crashes with one is never restarted: the service
        // would stay up and consume nothing. Its cause is what kafkajs itself recovers from by
        // rejoining the group; the chunk is already recorded, so its redelivery changes nothing.
        throw rootCause(error);
      });
      await heartbeat();
    }
    await commitOffsetsIfNecessary();
  }

  /** The database being away is not a reason to drop or dead-letter anything: wait for it. */
  private async withInfrastructureRetry(work: () => Promise<void>, heartbeat: () => Promise<void>, isRunning: () => boolean) {
    for (let failures = 0; ; failures += 1) {
      try {
        return await work();
      } catch (error) {
        if (!isRunning()) throw error;
        this.logger.warn({ msg: 'could not apply a chunk; retrying it', error: (error as Error).message, failures: failures + 1 });
        await new Promise((resolve) => setTimeout(resolve, Math.min(250 * 2 ** failures, 5000)));
        await heartbeat().catch(() => undefined);
      }
    }
  }
}

function rootCause(error: Error & { cause?: unknown }): Error {
  return error.cause instanceof Error ? rootCause(error.cause) : error;
}
