import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { BaseEnvironment } from '@plo/platform';

export class PloEnvironment extends BaseEnvironment {
  override DATABASE_URL: string = 'postgres://plo:plo@127.0.0.1:5432/plo_proceedings';

  @IsInt()
  @Min(1)
  @Max(65535)
  override HTTP_PORT: number = 3002;

  /** Week of the proceedings from which "no final hearing listed yet" is projected drift. */
  @IsInt()
  @Min(1)
  @Max(26)
  PLO_NO_FINAL_HEARING_WARNING_WEEK: number = 20;

  /** How often the service looks for proceedings that reached that week without a final hearing. */
  @IsInt()
  @Min(100)
  @Max(86_400_000)
  PLO_DRIFT_SWEEP_INTERVAL_MS: number = 60_000;

  /** The council's pre-proceedings review cadence, in weeks after the last meeting. */
  @IsInt()
  @Min(1)
  @Max(16)
  PLO_PRE_PROCEEDINGS_REVIEW_WEEKS: number = 6;

  /**
   * The council whose staff resolve court updates from the Kafka feed that match no case (an unknown
   * court case number, a malformed message). Unset: only the dead-letter topic and /admin/dead-letters show them.
   */
  @IsOptional()
  @IsString()
  @MaxLength(64)
  @Matches(/^\S+$/)
  PLO_COURT_FEED_COUNCIL_ID?: string;

  /**
   * A calendar feed is served with its owner's rights as last seen on their bearer token. Someone who
   * left the council never calls again, so a feed whose owner has not been seen for this many days stops.
   */
  @IsInt()
  @Min(1)
  @Max(365)
  FEED_OWNER_RIGHTS_MAX_AGE_DAYS: number = 30;
}
