import { actorOf, Audited, CurrentPrincipal, kpiScope, Principal, Roles } from '@plo/platform';
import { CaseAccessGuard } from '../case/case-access.guard';
import { Body, Controller, Get, Headers, Param, ParseUUIDPipe, Post, Query, UseGuards } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiWrite, caseIdParam } from '../case/http';
import { DecideReferralDto, KpiQuery, RecordReferralDto } from './referrals.dto';
import { ReferralsService } from './referrals.service';
import { KpiReportView, ReferralView } from './referrals.views';

@ApiTags('referrals and KPIs')
@UseGuards(CaseAccessGuard)
@Controller()
export class ReferralsController {
  constructor(private readonly referrals: ReferralsService) {}

  @Get('cases/:caseId/referrals')
  @Roles('social-worker', 'team-manager', 'service-manager', 'legal', 'administrator')
  @Audited('consultation', 'referral', 'caseId')
  @ApiOperation({ summary: 'Contacts and referrals on the case, with decision due dates and the repeat-referral flag' })
  @ApiOkResponse({ type: [ReferralView] })
  list(@caseIdParam() caseId: string) {
    return this.referrals.list(caseId);
  }

  @Post('cases/:caseId/referrals')
  @Roles('social-worker', 'team-manager', 'service-manager', 'administrator')
  @Audited('collection', 'referral', 'caseId')
  @ApiOperation({
    summary:
      "Record a contact or referral about some or all of the children (decision due in 1 WD); flags, per child, a repeat referral within 12 months across the council's cases",
  })
  @ApiWrite('optional')
  @ApiCreatedResponse({ type: ReferralView, description: 'The contact or referral as recorded' })
  record(
    @CurrentPrincipal() principal: Principal,
    @caseIdParam() caseId: string,
    @Body() body: RecordReferralDto,
    @Headers('if-match') ifMatch?: string,
  ) {
    return this.referrals.record(caseId, body, ifMatch, actorOf(principal));
  }

  @Post('cases/:caseId/referrals/:referralId/decision')
  @Roles('social-worker', 'team-manager', 'service-manager', 'administrator')
  @Audited('alteration', 'referral', 'caseId')
  @ApiOperation({ summary: 'Record the decision on a contact or referral' })
  @ApiWrite('optional')
  @ApiCreatedResponse({ type: ReferralView, description: 'The contact or referral with its decision' })
  decide(
    @CurrentPrincipal() principal: Principal,
    @caseIdParam() caseId: string,
    @Param('referralId', new ParseUUIDPipe()) referralId: string,
    @Body() body: DecideReferralDto,
    @Headers('if-match') ifMatch?: string,
  ) {
    return this.referrals.decide(caseId, referralId, body, ifMatch, actorOf(principal));
  }

  @Get('kpis')
  @Roles('team-manager', 'service-manager', 'administrator')
  @Audited('combination', 'kpi')
  @ApiOperation({
    summary:
      "The peer review's table for a council or team: contacts decided within 1 WD, referrals progressed within 2 WD (the council's local measure), % repeat referrals per child, CIN and looked-after children seen in the 6 weeks to the reporting date, ICPCs resulting in a plan, assessments completed within 45 WD",
  })
  @ApiOkResponse({ type: KpiReportView })
  kpis(@CurrentPrincipal() principal: Principal, @Query() query: KpiQuery) {
    kpiScope(principal, query);
    return this.referrals.kpis(query);
  }
}
