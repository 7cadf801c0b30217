import { HomeController } from './home.controller';
import { LegalController } from './legal/legal.controller';

export const PAGE_CONTROLLERS = [HomeController, LegalController];
