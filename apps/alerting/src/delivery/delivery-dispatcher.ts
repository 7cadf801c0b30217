import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { createTransport, Transporter } from 'nodemailer';
import { UnitOfWork } from '@plo/messaging';
import { MetricsRegistry } from '@plo/platform';
import type { AlertingEnvironment } from '../alerting.environment';
import { ALERTING_ENV } from '../alerting.tokens';
import type { EmailPayload } from './delivery-planner';
import { ClaimedDelivery, DeliveryStore } from './delivery.store';
import { DELIVERY_HEADER, SIGNATURE_HEADER, signWebhook, TIMESTAMP_HEADER } from './webhook-signature';
import { ResolvedAddress, WebhookTargetPolicy } from './webhook-target';

interface Outcome {
  succeeded: boolean;
  responseStatus?: number;
  error?: string;
}

/** Claimed deliveries are leased, not locked: a crash mid-send frees them for a retry after this long. */
const LEASE_SECONDS = 60;
const CLAIM_LIMIT = 50;
const MAX_BACKOFF_MS = 3_600_000;

/**
 * Works the deliveries queue: each attempt is recorded, failures retry with exponential back-off and
 * stop as 'failed' (visible through the API) after DELIVERY_MAX_ATTEMPTS. Channels and targets are
 * separate rows, so one failing never delays another. Retry timing uses the database clock: it is
 * operational time, not the business clock a test may move.
 */
@Injectable()
export class DeliveryDispatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DeliveryDispatcher.name);
  private running = false;
  private loop?: Promise<void>;
  private transporter?: Transporter;
  private readonly sent;
  private readonly failed;

  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly store: DeliveryStore,
    @Inject(ALERTING_ENV) private readonly env: AlertingEnvironment,
    private readonly targets: WebhookTargetPolicy,
    metrics: MetricsRegistry,
  ) {
    this.sent = metrics.counter('alert_deliveries_sent_total', 'Deliveries that reached their webhook or SMTP server', ['channel']);
    this.failed = metrics.counter('alert_delivery_attempts_failed_total', 'Delivery attempts that failed (retried until the limit)', [
      'channel',
    ]);
    metrics.gauge('alert_deliveries_failed', 'Deliveries that gave up after every attempt', [], async (gauge) => {
      gauge.set(await this.unitOfWork.transaction((tx) => this.store.failedCount(tx)));
    });
  }

  onApplicationBootstrap() {
    if (this.env.SMTP_URL) this.transporter = createTransport(this.env.SMTP_URL);
    this.running = true;
    this.loop = this.run();
  }

  async onApplicationShutdown() {
    this.running = false;
    await this.loop;
    this.transporter?.close();
  }

  /** Claims and sends one batch; returns how many it attempted. */
  async dispatchOnce(): Promise<number> {
    const claimed = await this.unitOfWork.transaction((tx) => this.store.claim(tx, CLAIM_LIMIT, LEASE_SECONDS));
    await Promise.all(claimed.map((delivery) => this.attempt(delivery)));
    return claimed.length;
  }

  private async attempt(delivery: ClaimedDelivery) {
    const started = performance.now();
    let outcome: Outcome;
    try {
      outcome = delivery.channel === 'webhook' ? await this.postWebhook(delivery) : await this.sendEmail(delivery);
    } catch (error) {
      outcome = { succeeded: false, error: (error as Error).message };
    }
    const durationMs = Math.round(performance.now() - started);
    (outcome.succeeded ? this.sent : this.failed).inc({ channel: delivery.channel });
    const gaveUp = !outcome.succeeded && delivery.attempts >= this.env.DELIVERY_MAX_ATTEMPTS;
    const backoffMs = Math.min(this.env.DELIVERY_BACKOFF_MS * 2 ** (delivery.attempts - 1), MAX_BACKOFF_MS);
    await this.unitOfWork.transaction((tx) =>
      this.store.recordAttempt(tx, {
        deliveryId: delivery.id,
        attempt: delivery.attempts,
        succeeded: outcome.succeeded,
        responseStatus: outcome.responseStatus ?? null,
        error: outcome.error?.slice(0, 2000) ?? null,
        durationMs,
        status: outcome.succeeded ? 'sent' : gaveUp ? 'failed' : 'pending',
        backoffMs,
      }),
    );
    if (!outcome.succeeded)
      this.logger.warn({
        msg: 'delivery attempt failed',
        deliveryId: delivery.id,
        channel: delivery.channel,
        attempt: delivery.attempts,
        gaveUp,
        error: outcome.error,
      });
  }

  private async postWebhook(delivery: ClaimedDelivery): Promise<Outcome> {
    if (!delivery.url || !delivery.secret) return { succeeded: false, error: 'the webhook subscription no longer exists' };
    // Judged afresh each time: the name may point somewhere else since the subscription was made.
    const { target, addresses } = await this.targets.addressesFor(delivery.url);
    const body = JSON.stringify(delivery.payload);
    // Wall-clock seconds, not the business clock: receivers check freshness against their own clocks.
    const timestamp = Math.floor(Date.now() / 1000);
    const headers = {
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(body)),
      [SIGNATURE_HEADER]: signWebhook(delivery.secret, timestamp, body),
      [TIMESTAMP_HEADER]: String(timestamp),
      [DELIVERY_HEADER]: delivery.id,
      ...(delivery.event_type ? { 'ce-type': delivery.event_type } : {}),
    };
    const status = await new Promise<number>((resolve, reject) => {
      // Redirects are not followed: a 3xx counts as a failure, so nobody is sent on elsewhere.
      const request = (target.protocol === 'https:' ? httpsRequest : httpRequest)(
        target,
        { method: 'POST', headers, lookup: pinnedTo(addresses), timeout: this.env.WEBHOOK_TIMEOUT_MS },
        (response) => {
          response.resume();
          response.on('end', () => resolve(response.statusCode ?? 0));
          response.on('error', reject);
        },
      );
      request.on('timeout', () => request.destroy(new Error(`no response within ${this.env.WEBHOOK_TIMEOUT_MS} ms`)));
      request.on('error', reject);
      request.end(body);
    });
    const ok = status >= 200 && status < 300;
    return ok ? { succeeded: true, responseStatus: status } : { succeeded: false, responseStatus: status, error: `HTTP ${status}` };
  }

  private async sendEmail(delivery: ClaimedDelivery): Promise<Outcome> {
    if (!this.transporter) return { succeeded: false, error: 'no SMTP server is configured (SMTP_URL)' };
    if (!delivery.email) return { succeeded: false, error: `no e-mail address for ${delivery.recipient_id} in the people directory` };
    const { subject, text } = delivery.payload as EmailPayload;
    await this.transporter.sendMail({
      from: this.env.ALERT_EMAIL_FROM,
      to: delivery.email,
      subject,
      text,
      headers: { 'X-PLO-Delivery': delivery.id },
    });
    return { succeeded: true };
  }

  private async run() {
    while (this.running) {
      let attempted = 0;
      try {
        attempted = await this.dispatchOnce();
      } catch (error) {
        this.logger.warn({ msg: 'delivery dispatch failed; will retry', error: (error as Error).message });
      }
      if (attempted < CLAIM_LIMIT) await new Promise((resolve) => setTimeout(resolve, this.env.DELIVERY_POLL_INTERVAL_MS));
    }
  }
}

/** Connects only to the addresses the target policy approved, whatever DNS answers now. */
function pinnedTo(addresses: ResolvedAddress[]): LookupFunction {
  return (_hostname, options, callback) => {
    if ((options as { all?: boolean }).all) (callback as unknown as (error: null, all: ResolvedAddress[]) => void)(null, addresses);
    else callback(null, addresses[0].address, addresses[0].family);
  };
}
