import { HomeController } from './home.controller';
import { ServiceController } from './team/service.controller';
import { TeamController } from './team/team.controller';

export const PAGE_CONTROLLERS = [HomeController, TeamController, ServiceController];
