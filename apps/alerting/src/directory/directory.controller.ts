import { Body, Controller, Get, NotFoundException, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { UnitOfWork } from '@plo/messaging';
import { CurrentPrincipal, Principal, Roles } from '@plo/platform';
import { PersonDto, TeamDirectoryDto } from './directory.dto';
import { DirectoryStore } from './directory.store';
import { PersonAddress, TeamServiceManager } from './directory.views';

const TEAM_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** The escalation and e-mail directory of the administrator's own council. */
@ApiTags('alerting administration')
@ApiBearerAuth()
@Roles('administrator')
@Controller('admin')
export class DirectoryController {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly store: DirectoryStore,
  ) {}

  @Put('teams/:teamId')
  @ApiOperation({
    summary:
      "Set the service manager (the last step of the escalation ladder) of one of the council's teams; team ids are each council's own",
  })
  @ApiOkResponse({ type: TeamServiceManager })
  async setTeam(
    @Param('teamId') teamId: string,
    @Body() body: TeamDirectoryDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<TeamServiceManager> {
    if (!TEAM_ID.test(teamId)) throw new NotFoundException(`team ${teamId} is not a valid team id`);
    await this.unitOfWork.transaction((tx) => this.store.setTeam(tx, teamId, body.serviceManagerId, principal.councilId));
    return { teamId, serviceManagerId: body.serviceManagerId };
  }

  @Get('teams')
  @ApiOperation({ summary: "The council's teams and their service managers, by team id" })
  @ApiOkResponse({ type: [TeamServiceManager] })
  listTeams(@CurrentPrincipal() principal: Principal) {
    return this.unitOfWork.transaction((tx) => this.store.teams(tx, principal.councilId));
  }

  @Put('people/:personId')
  @ApiOperation({ summary: "Set a person's e-mail address for alert e-mails and digests; 404 for another council's person" })
  @ApiOkResponse({ type: PersonAddress })
  async setPerson(
    @Param('personId') personId: string,
    @Body() body: PersonDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<PersonAddress> {
    const set = await this.unitOfWork.transaction((tx) =>
      this.store.setPerson(tx, { personId, email: body.email, displayName: body.displayName ?? null }, principal.councilId),
    );
    if (!set) throw new NotFoundException(`person ${personId} is not one of your council's people`);
    return { personId, email: body.email, displayName: body.displayName ?? null };
  }
}
