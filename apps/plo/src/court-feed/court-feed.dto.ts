import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

export class DismissExceptionDto {
  @IsString() @IsNotEmpty() @MaxLength(1000) note: string;
}
