import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { Client } from 'pg';
import type { AlertingEnvironment } from '../alerting.environment';
import { ALERTING_ENV } from '../alerting.tokens';
import { SCHEDULE_CHANNEL } from './scheduling.store';

/** The listening side of `announceDue`: one dedicated connection, re-established if it drops. */
@Injectable()
export class ScheduleListener implements OnApplicationShutdown {
  private readonly logger = new Logger(ScheduleListener.name);
  private client?: Client;
  private stopped = false;

  constructor(@Inject(ALERTING_ENV) private readonly env: AlertingEnvironment) {}

  async listen(onDue: (instant: Date) => void, onReconnect: () => void): Promise<void> {
    while (!this.stopped) {
      try {
        const client = new Client({ connectionString: this.env.DATABASE_URL });
        client.on('notification', (message) => {
          const instant = new Date(message.payload ?? '');
          if (!Number.isNaN(instant.getTime())) onDue(instant);
        });
        const lost = new Promise<void>((resolve) => {
          client.on('error', () => resolve());
          client.on('end', () => resolve());
        });
        await client.connect();
        await client.query(`LISTEN ${SCHEDULE_CHANNEL}`);
        this.client = client;
        // Anything announced while we were not listening is found by a fresh look at the database.
        onReconnect();
        await lost;
      } catch (error) {
        this.logger.warn({ msg: 'schedule listener connection failed; retrying', error: (error as Error).message });
      }
      if (!this.stopped) await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }

  async onApplicationShutdown() {
    this.stopped = true;
    await this.client?.end().catch(() => undefined);
  }
}
