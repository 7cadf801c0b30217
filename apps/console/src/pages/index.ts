import { HomeController } from './home.controller';
import { KpisController } from './kpis/kpis.controller';

export const PAGE_CONTROLLERS = [HomeController, KpisController];
