import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { LetterSentDto, MeetingHeldDto, PreProceedingsOutcomeDto, StartPreProceedingsDto } from './pre-proceedings.dto';
import { PreProceedingsService } from './pre-proceedings.service';
import { actorFrom } from './proceedings.controller';

@ApiTags('pre-proceedings')
@ApiHeader({ name: 'x-user-id', required: false, description: 'Who is acting (recorded on every event)' })
@Controller('pre-proceedings')
export class PreProceedingsController {
  constructor(private readonly preProceedings: PreProceedingsService) {}

  @Post()
  @ApiOperation({ summary: 'Record the legal gateway / planning meeting decision' })
  start(@Body() body: StartPreProceedingsDto, @Headers('x-user-id') userId?: string) {
    return this.preProceedings.start(body, actorFrom(userId));
  }

  @Get(':id')
  view(@Param('id', ParseUUIDPipe) id: string) {
    return this.preProceedings.view(id);
  }

  @Post(':id/letter')
  @HttpCode(200)
  @ApiOperation({ summary: 'Letter Before Proceedings sent; the 16-week timescale starts' })
  letter(@Param('id', ParseUUIDPipe) id: string, @Body() body: LetterSentDto, @Headers('x-user-id') userId?: string) {
    return this.preProceedings.letterSent(id, body, actorFrom(userId));
  }

  @Post(':id/meetings')
  @HttpCode(200)
  @ApiOperation({ summary: 'Pre-proceedings meeting (the first) or review meeting held; the next review falls due at the council cadence' })
  meeting(@Param('id', ParseUUIDPipe) id: string, @Body() body: MeetingHeldDto, @Headers('x-user-id') userId?: string) {
    return this.preProceedings.meetingHeld(id, body, actorFrom(userId));
  }

  @Post(':id/outcome')
  @HttpCode(200)
  @ApiOperation({ summary: 'Step down (with a reason) or issue (short notice needs a reason)' })
  outcome(@Param('id', ParseUUIDPipe) id: string, @Body() body: PreProceedingsOutcomeDto, @Headers('x-user-id') userId?: string) {
    return this.preProceedings.conclude(id, body, actorFrom(userId));
  }
}
