import { Body, Controller, Headers, Post } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CaseClosedV1, CaseOpenedV1, EventEnvelope, EventTypes } from '@plo/contracts';
import { HandlesEvent, InboxContext } from '@plo/messaging';
import { IssueProceedingsDto } from './proceedings.dto';
import { ProceedingsService } from './proceedings.service';

@ApiTags('proceedings')
@ApiHeader({ name: 'x-user-id', required: false, description: 'Who is acting (recorded on every event)' })
@Controller('proceedings')
export class ProceedingsController {
  constructor(private readonly proceedings: ProceedingsService) {}

  @Post()
  @ApiOperation({ summary: 'Record that care proceedings were issued; starts each child\'s 26-week clock' })
  issue(@Body() body: IssueProceedingsDto, @Headers('x-user-id') userId?: string) {
    return this.proceedings.issue(body, { kind: 'user', id: userId?.trim() || 'unidentified' });
  }
}

@Controller()
export class CaseEventHandlers {
  constructor(private readonly proceedings: ProceedingsService) {}

  @HandlesEvent(EventTypes.caseOpened)
  caseOpened(@Payload() event: EventEnvelope<CaseOpenedV1>, @Ctx() context: InboxContext) {
    return this.proceedings.rememberCase(context.manager, event.data);
  }

  @HandlesEvent(EventTypes.caseClosed)
  caseClosed(@Payload() event: EventEnvelope<CaseClosedV1>, @Ctx() context: InboxContext) {
    return this.proceedings.forgetClosedCase(context.manager, event.data);
  }
}
