import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { Consumer } from 'kafkajs';
import { delay, TestStack } from '@plo/testing';

/** One kind of effect compared between what was sent and what arrived. */
export interface EffectCount {
  effect: string;
  sent: number;
  arrived: number;
  lost: number;
  duplicated: number;
}

export interface RunResult {
  effects: EffectCount[];
  /** Figures that show the fault really happened (e.g. redeliveries absorbed), not compared. */
  observations: Record<string, number>;
}

export type Progress = (line: string) => void;

/**
 * A fault scenario: set up once, then each run drives a stream, injects the fault part-way, waits for
 * the system to settle and counts what arrived against what was sent.
 */
export interface FaultScenario {
  name: string;
  /** What the fault is and what zero lost and zero duplicated proves. */
  proves: string;
  /** A control must show losses or duplicates: it proves the checker sees them. */
  control?: boolean;
  /** Observations that count as anomalies when not zero (e.g. an alert raised before it was due). */
  mustBeZero?: string[];
  /** Observations that count as an anomaly when below their floor (e.g. instances that must have shared the work). */
  mustBeAtLeast?: Record<string, number>;
  setUp(progress: Progress): Promise<void>;
  run(progress: Progress): Promise<RunResult>;
  tearDown(): Promise<void>;
}

/**
 * Counts one effect. `occurrences` holds one entry per time the effect was observed (an id seen
 * twice is one duplicate); ids that were not sent (written but never acknowledged) are neither.
 */
export function tally(effect: string, sent: Iterable<string>, occurrences: Iterable<string>): EffectCount {
  const expected = new Set(sent);
  const seen = new Map<string, number>();
  for (const id of occurrences) if (expected.has(id)) seen.set(id, (seen.get(id) ?? 0) + 1);
  let duplicated = 0;
  for (const times of seen.values()) duplicated += times - 1;
  return { effect, sent: expected.size, arrived: seen.size, lost: expected.size - seen.size, duplicated };
}

/** Everything lost or duplicated in a run, plus any observation the scenario says must stay zero. */
export function anomalies(scenario: FaultScenario, result: RunResult): number {
  const counted = result.effects.reduce((sum, e) => sum + e.lost + e.duplicated, 0);
  const idle = Object.entries(scenario.mustBeAtLeast ?? {}).filter(([key, floor]) => !((result.observations[key] ?? 0) >= floor)).length;
  return counted + idle + (scenario.mustBeZero ?? []).reduce((sum, key) => sum + (result.observations[key] ?? 0), 0);
}

/**
 * Waits until nothing is missing, then a little longer and counts again so that late duplicates are
 * seen too. Gives up after `timeoutMs` and returns what it saw: a loss is a result, not an error.
 */
export async function settle(count: () => Promise<EffectCount[]>, { timeoutMs = 60_000, quietMs = 1500 } = {}): Promise<EffectCount[]> {
  const deadline = Date.now() + timeoutMs;
  let last: EffectCount[] = [];
  while (Date.now() < deadline) {
    try {
      last = await count();
      if (last.every((e) => e.lost === 0)) break;
    } catch {
      // a database or broker that is still recovering: look again
    }
    await delay(250);
  }
  await delay(quietMs);
  return count().catch(() => last);
}

export interface WebhookCall {
  deliveryId: string;
  type: string;
  caseId: string;
  alertId: string;
  level: string;
  kind: string;
}

/** A real HTTP endpoint that accepts every signed webhook and records it. */
export class WebhookReceiver {
  readonly calls: WebhookCall[] = [];
  private server?: Server;

  get url(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/alerts`;
  }

  async start() {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        const event = JSON.parse(body);
        this.calls.push({
          deliveryId: String(req.headers['x-plo-delivery']),
          type: event.type,
          caseId: event.subject,
          alertId: event.data?.alertId,
          level: event.data?.level,
          kind: event.data?.kind,
        });
        res.statusCode = 204;
        res.end();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
  }

  async stop() {
    await new Promise((resolve) => this.server?.close(resolve));
  }
}

/**
 * Everything published on one of a stack's topics, collected by one consumer from the start of the
 * stack to its end: a checker that polls must not join a new consumer group on every look. Each
 * message is kept once by its position, so a redelivery to the watcher (it commits nothing, and reads
 * from the start again after a rebalance) is not taken for a second publish. A consumer kafkajs gives
 * up on (a refused commit or join while brokers restart) is replaced: the checker must not go blind.
 */
export class TopicWatcher {
  readonly values: string[] = [];
  private readonly seen = new Set<string>();
  private consumer?: Consumer;
  private stopping = false;

  constructor(
    private readonly stack: TestStack,
    private readonly topic: string,
  ) {}

  async start() {
    // A short fetch wait lets it leave at once when the run ends.
    const consumer = this.stack.kafka.consumer({ groupId: `watcher-${randomUUID()}`, maxWaitTimeInMs: 200 });
    this.consumer = consumer;
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (payload.restart || this.stopping) return;
      void consumer
        .disconnect()
        .catch(() => undefined)
        .then(() => this.startUntilItRuns());
    });
    await consumer.connect();
    await consumer.subscribe({ topic: this.stack.topic(this.topic), fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        const position = `${partition}:${message.offset}`;
        if (this.seen.has(position)) return;
        this.seen.add(position);
        this.values.push(message.value?.toString() ?? '');
      },
    });
  }

  async stop() {
    this.stopping = true;
    await this.consumer?.disconnect();
  }

  private async startUntilItRuns() {
    while (!this.stopping) {
      try {
        return await this.start();
      } catch {
        await delay(500);
      }
    }
  }
}
