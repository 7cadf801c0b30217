import { Module } from '@nestjs/common';
import { PloAccessModule } from '../access/access.module';
import { RulesModule } from '../rules/rules.module';
import { CalendarController } from './calendar.controller';
import { CalendarService } from './calendar.service';

/** iCalendar feeds of hearings and deadlines, for calendar clients to subscribe to. */
@Module({
  imports: [RulesModule, PloAccessModule],
  controllers: [CalendarController],
  providers: [CalendarService],
})
export class CalendarModule {}
