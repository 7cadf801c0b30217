import { Module, OnModuleInit } from '@nestjs/common';
import { DeadLetterCouncils } from '@plo/messaging';
import { HearingsModule } from '../hearings/hearings.module';
import { CourtFeedController } from './court-feed.controller';
import { CourtFeedHandlers } from './court-feed.handlers';
import { CourtFeedService } from './court-feed.service';
import { councilOfCourtNumber } from './court-feed.store';
import { PloEnvironment } from '../plo.environment';

/** The court's hearing updates (over HTTP, as CSV, from Kafka) and the exceptions list of those that could not be applied. */
@Module({
  imports: [HearingsModule],
  controllers: [CourtFeedController, CourtFeedHandlers],
  providers: [CourtFeedService],
})
export class CourtFeedModule implements OnModuleInit {
  constructor(
    private readonly deadLetterCouncils: DeadLetterCouncils,
    private readonly env: PloEnvironment,
  ) {}

  /** A court update's dead letter belongs where its exception does: the matched case's council, else the feed's. */
  onModuleInit() {
    this.deadLetterCouncils.register(
      'hmc-hearing-update',
      async (courtCaseNumber, tx) => (await councilOfCourtNumber(tx, courtCaseNumber)) ?? this.env.PLO_COURT_FEED_COUNCIL_ID,
    );
  }
}
