import { actorOf, CurrentPrincipal, Principal, Roles } from '@plo/platform';
import { CaseAccessGuard } from '../case/case-access.guard';
import { Body, Controller, Delete, Get, Headers, Param, Put, Query, Res, UseGuards } from '@nestjs/common';
import { ApiConflictResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CouncilParams, CouncilRuleParams, OverrideRuleDto, ResetRuleDto } from './council-rules.dto';
import { CouncilRulesService } from './council-rules.service';
import { ApiWrite, ETAG_HEADER, withETag } from '../case/http';
import { ChangedRuleView, EffectiveRulesView, RuleChangeView } from './council-rules.views';

const NOT_RECOMPUTED =
  'Takes effect for due dates computed from now on (the next visit, review or decision scheduled); obligations already open keep the due date they were given and are not recomputed.';

@ApiTags('council rules')
@UseGuards(CaseAccessGuard)
@Controller('councils/:councilId/rules')
export class CouncilRulesController {
  constructor(private readonly rules: CouncilRulesService) {}

  @Get()
  @Roles('social-worker', 'team-manager', 'service-manager', 'legal', 'administrator')
  @ApiOperation({
    summary:
      "The council's effective timescale rules: every rule with its current period, kind, source, verify flag and whether the council changed it; ETag = rule-set version",
  })
  @ApiOkResponse({ type: EffectiveRulesView, headers: ETAG_HEADER })
  async effective(@Param() { councilId }: CouncilParams, @Res({ passthrough: true }) response: Response) {
    return withETag(response, await this.rules.effective(councilId));
  }

  @Get('history')
  @Roles('social-worker', 'team-manager', 'service-manager', 'legal', 'administrator')
  @ApiOperation({ summary: "Every change of the council's rules, newest first: who, when, from what to what, and why" })
  @ApiOkResponse({ type: [RuleChangeView] })
  history(@Param() { councilId }: CouncilParams) {
    return this.rules.history(councilId);
  }

  @Put(':ruleId')
  @Roles('administrator')
  @ApiOperation({
    summary: `Override a LOCAL rule's offset, unit and/or counting (fields left out keep the national value). ${NOT_RECOMPUTED}`,
  })
  @ApiWrite('optional', "council's rule set")
  @ApiConflictResponse({ description: 'The rule is statutory: the body carries its source and the rules a council may change' })
  @ApiOkResponse({ type: ChangedRuleView, headers: ETAG_HEADER, description: 'The rule as overridden' })
  async override(
    @CurrentPrincipal() principal: Principal,
    @Param() { councilId, ruleId }: CouncilRuleParams,
    @Body() body: OverrideRuleDto,
    @Res({ passthrough: true }) response: Response,
    @Headers('if-match') ifMatch?: string,
  ) {
    return withETag(response, await this.rules.override(councilId, ruleId, body, ifMatch, actorOf(principal)));
  }

  @Delete(':ruleId')
  @Roles('administrator')
  @ApiOperation({ summary: `Return a rule to the national default. ${NOT_RECOMPUTED}` })
  @ApiWrite('optional', "council's rule set")
  @ApiOkResponse({ type: ChangedRuleView, headers: ETAG_HEADER, description: 'The rule back at its national default' })
  async reset(
    @CurrentPrincipal() principal: Principal,
    @Param() { councilId, ruleId }: CouncilRuleParams,
    @Query() query: ResetRuleDto,
    @Res({ passthrough: true }) response: Response,
    @Headers('if-match') ifMatch?: string,
  ) {
    return withETag(response, await this.rules.reset(councilId, ruleId, query.reason, ifMatch, actorOf(principal)));
  }
}
