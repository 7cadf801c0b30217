import { IsInt, Max, Min } from 'class-validator';
import { BaseEnvironment } from '@plo/platform';

export class CasesEnvironment extends BaseEnvironment {
  override DATABASE_URL: string = 'postgres://plo:plo@127.0.0.1:5432/plo_cases';

  @IsInt()
  @Min(1)
  @Max(65535)
  override HTTP_PORT: number = 3001;
}
