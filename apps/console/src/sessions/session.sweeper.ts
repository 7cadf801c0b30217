import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { SessionStore } from './session.store';

/** Deletes ended sessions every few minutes; a finished session's tokens should not linger on disk. */
@Injectable()
export class SessionSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private readonly logger = new Logger('sessions');

  constructor(private readonly sessions: SessionStore) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.sessions.sweep().catch((error: Error) => this.logger.warn(`could not sweep ended sessions: ${error.message}`));
    }, 5 * 60_000);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }
}
