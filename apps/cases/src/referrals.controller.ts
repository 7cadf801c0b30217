import { Body, Controller, Get, Headers, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { actorFrom, ApiWrite } from './http';
import { DecideReferralDto, KpiQuery, RecordReferralDto } from './referrals.dto';
import { ReferralsService } from './referrals.service';

@ApiTags('referrals and KPIs')
@ApiHeader({ name: 'x-user-id', required: false, description: 'Who is acting (recorded on every event)' })
@Controller()
export class ReferralsController {
  constructor(private readonly referrals: ReferralsService) {}

  @Get('cases/:caseId/referrals')
  @ApiOperation({ summary: 'Contacts and referrals on the case, with decision due dates and the repeat-referral flag' })
  list(@Param('caseId', new ParseUUIDPipe()) caseId: string) {
    return this.referrals.list(caseId);
  }

  @Post('cases/:caseId/referrals')
  @ApiOperation({ summary: 'Record a contact or referral (decision due: 1 WD for a contact, 2 WD for a referral); flags a repeat referral within 12 months' })
  @ApiWrite('optional')
  record(@Param('caseId', new ParseUUIDPipe()) caseId: string, @Body() body: RecordReferralDto, @Headers('if-match') ifMatch?: string, @Headers('x-user-id') userId?: string) {
    return this.referrals.record(caseId, body, ifMatch, actorFrom(userId));
  }

  @Post('cases/:caseId/referrals/:referralId/decision')
  @ApiOperation({ summary: 'Record the decision on a contact or referral' })
  @ApiWrite('optional')
  decide(
    @Param('caseId', new ParseUUIDPipe()) caseId: string,
    @Param('referralId', new ParseUUIDPipe()) referralId: string,
    @Body() body: DecideReferralDto,
    @Headers('if-match') ifMatch?: string,
    @Headers('x-user-id') userId?: string,
  ) {
    return this.referrals.decide(caseId, referralId, body, ifMatch, actorFrom(userId));
  }

  @Get('kpis')
  @ApiOperation({
    summary:
      "The peer review's table for a council or team: contacts decided within 1 WD, referrals progressed within 2 WD, % repeat referrals, CIN and looked-after children seen in the 6 weeks to the reporting date, ICPCs resulting in a plan",
  })
  kpis(@Query() query: KpiQuery) {
    return this.referrals.kpis(query);
  }
}
