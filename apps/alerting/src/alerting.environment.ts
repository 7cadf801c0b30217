import { Transform } from 'class-transformer';
import { Equals, IsBoolean, IsEmail, IsInt, IsOptional, IsString, Matches, Max, Min, ValidateIf } from 'class-validator';
import { BaseEnvironment, toBoolean } from '@plo/platform';

export class AlertingEnvironment extends BaseEnvironment {
  override DATABASE_URL: string = 'postgres://plo:plo@127.0.0.1:5432/plo_alerting';

  @IsInt()
  @Min(1)
  @Max(65535)
  override HTTP_PORT: number = 3003;

  /** Warning lead times per obligation kind over the defaults, e.g. `proceedings-completion=6w,2w;visit=2wd`. */
  @IsString()
  ALERT_WARNING_LEADS: string = '';

  /** Working days unacknowledged before an alert goes from the worker to the team manager (0 = never). */
  @IsInt()
  @Min(0)
  @Max(60)
  ALERT_ESCALATE_TO_TEAM_MANAGER_WD: number = 2;

  /** Further working days unacknowledged before it goes on to the service manager (0 = never). */
  @IsInt()
  @Min(0)
  @Max(60)
  ALERT_ESCALATE_TO_SERVICE_MANAGER_WD: number = 3;

  /** Off only for a process that must not raise alerts (the rebuild command runs with it off). */
  @Transform(toBoolean)
  @IsBoolean()
  ALERT_SCHEDULER_ENABLED: boolean = true;

  /** Obligations claimed per transaction when they fall due. */
  @IsInt()
  @Min(1)
  @Max(20_000)
  ALERT_SCHEDULER_BATCH_SIZE: number = 2000;

  /**
   * Longest wait between looks at the database for work another instance (or the rebuild) wrote;
   * this instance's own writes wake it at once.
   */
  @IsInt()
  @Min(100)
  @Max(600_000)
  ALERT_SCHEDULER_RESYNC_MS: number = 5000;

  /** `smtp://host:port` (or smtps://user:pass@host) for alert e-mails and digests; unset = no e-mail channel. */
  @IsOptional()
  @Matches(/^smtps?:\/\/.+/, { message: 'SMTP_URL must be an smtp:// or smtps:// URL' })
  SMTP_URL?: string;

  @IsEmail()
  ALERT_EMAIL_FROM: string = 'alerts@plo.example.org';

  /** Send each manager one digest of their teams' open alerts per London day. */
  @Transform(toBoolean)
  @IsBoolean()
  ALERT_DIGEST_ENABLED: boolean = true;

  @IsInt()
  @Min(1)
  @Max(30)
  DELIVERY_MAX_ATTEMPTS: number = 8;

  /** First retry delay; doubles with each failed attempt (capped at one hour). */
  @IsInt()
  @Min(10)
  @Max(3_600_000)
  DELIVERY_BACKOFF_MS: number = 2000;

  @IsInt()
  @Min(20)
  @Max(60_000)
  DELIVERY_POLL_INTERVAL_MS: number = 500;

  @IsInt()
  @Min(100)
  @Max(120_000)
  WEBHOOK_TIMEOUT_MS: number = 5000;

  /**
   * Lets webhooks target http:// and loopback, link-local or private addresses (a receiver on the
   * developer's machine, the tests' receiver). Refused in production.
   */
  @Transform(toBoolean)
  @IsBoolean()
  @ValidateIf((env: AlertingEnvironment) => env.NODE_ENV === 'production')
  @Equals(false, { message: 'WEBHOOK_ALLOW_PRIVATE_TARGETS must not be on when NODE_ENV=production' })
  WEBHOOK_ALLOW_PRIVATE_TARGETS: boolean = false;

  /** Events the rebuild command applies per transaction. */
  @IsInt()
  @Min(1)
  @Max(50_000)
  REBUILD_BATCH_SIZE: number = 5000;
}
