import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { PloAccessModule } from '../access/access.module';
import { RulesModule } from '../rules/rules.module';
import { CalendarController } from './calendar.controller';
import { CalendarService } from './calendar.service';
import { FeedOwnerRightsInterceptor, FeedOwners } from './feed-owners';

/** iCalendar feeds of hearings and deadlines, for calendar clients to subscribe to. */
@Module({
  imports: [RulesModule, PloAccessModule],
  controllers: [CalendarController],
  // Global: a feed owner's request to any route of the service refreshes their rights on their feeds.
  providers: [CalendarService, FeedOwners, { provide: APP_INTERCEPTOR, useClass: FeedOwnerRightsInterceptor }],
})
export class CalendarModule {}
