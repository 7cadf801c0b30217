import { Module } from '@nestjs/common';
import { HearingsModule } from '../hearings/hearings.module';
import { CourtFeedController } from './court-feed.controller';
import { CourtFeedHandlers } from './court-feed.handlers';
import { CourtFeedService } from './court-feed.service';

/** The court's hearing updates (over HTTP, as CSV, from Kafka) and the exceptions list of those that could not be applied. */
@Module({
  imports: [HearingsModule],
  controllers: [CourtFeedController, CourtFeedHandlers],
  providers: [CourtFeedService],
})
export class CourtFeedModule {}
