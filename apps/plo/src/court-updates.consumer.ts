import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Consumer, EachMessagePayload, Kafka } from 'kafkajs';
import { Topics } from '@plo/contracts';
import { ensureTopics, isInfrastructureFailure, KAFKA } from '@plo/messaging';
import { MetricsRegistry } from '@plo/platform';
import { COURT_CONSUMER, CourtUpdatesService } from './court-updates.service';
import { PloEnvironment } from './plo.environment';

/**
 * Consumes the court's hearing updates. They are HMC messages, not our CloudEvents, so the
 * messaging library's inbox (which validates envelopes) cannot take them; this consumer keeps the
 * same guarantees: the update is claimed in processed_events in the transaction that applies it,
 * the offset is committed only after that commit, and a message that cannot be applied goes to
 * the exceptions list and the dead-letter topic instead of blocking the partition.
 */
@Injectable()
export class CourtUpdatesConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(CourtUpdatesConsumer.name);
  private consumer?: Consumer;

  constructor(
    @Inject(KAFKA) private readonly kafka: Kafka,
    private readonly court: CourtUpdatesService,
    private readonly env: PloEnvironment,
    private readonly metrics: MetricsRegistry,
  ) {}

  async onApplicationBootstrap() {
    const topic = this.env.KAFKA_NAMESPACE + Topics.courtHearingUpdates;
    await ensureTopics(this.kafka, [topic], this.env.KAFKA_TOPIC_PARTITIONS, this.env.KAFKA_REPLICATION_FACTOR);
    const handled = this.metrics.counter('court_updates_total', 'Court hearing updates consumed from Kafka, by outcome', ['outcome']);
    this.consumer = this.kafka.consumer({
      groupId: this.env.KAFKA_NAMESPACE + COURT_CONSUMER,
      allowAutoTopicCreation: false,
      sessionTimeout: this.env.KAFKA_SESSION_TIMEOUT_MS,
      heartbeatInterval: Math.min(3_000, Math.floor(this.env.KAFKA_SESSION_TIMEOUT_MS / 3)),
    });
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: [topic], fromBeginning: true });
    await this.consumer.run({
      autoCommit: false,
      eachMessage: async (payload) => {
        const outcome = await this.applyWithRetry(payload);
        handled.inc({ outcome });
        await this.consumer!.commitOffsets([{ topic: payload.topic, partition: payload.partition, offset: (BigInt(payload.message.offset) + 1n).toString() }]);
      },
    });
  }

  async onApplicationShutdown() {
    await this.consumer?.disconnect();
  }

  private async applyWithRetry({ topic, partition, message, heartbeat }: EachMessagePayload): Promise<string> {
    const origin = {
      topic,
      partition,
      offset: message.offset,
      key: message.key?.toString() ?? null,
      headers: Object.fromEntries(Object.entries(message.headers ?? {}).map(([name, value]) => [name, String(value ?? '')])),
    };
    for (let failures = 0; ; failures += 1) {
      try {
        return (await this.court.applyKafkaMessage(message.value?.toString() ?? null, origin)).outcome;
      } catch (error) {
        // The database being away is not the message's fault: wait for it rather than reject the update.
        if (!isInfrastructureFailure(error) && failures >= 2) {
          this.logger.error({ msg: 'court update could not be applied; recording it as an exception', offset: message.offset, error: (error as Error).message });
          return (await this.court.recordFailure(message.value?.toString() ?? '', `could not be applied: ${(error as Error).message}`, origin)).outcome;
        }
        this.logger.warn({ msg: 'court update failed; retrying', offset: message.offset, error: (error as Error).message });
        await new Promise((resolve) => setTimeout(resolve, Math.min(250 * 2 ** failures, 5000)));
        await heartbeat().catch(() => undefined);
      }
    }
  }
}
