import { CasePageController } from './case/case.controller';
import { HomeController } from './home.controller';
import { KpisController } from './kpis/kpis.controller';
import { LegalController } from './legal/legal.controller';
import { ServiceController } from './team/service.controller';
import { TeamController } from './team/team.controller';

export const PAGE_CONTROLLERS = [HomeController, TeamController, ServiceController, LegalController, CasePageController, KpisController];
