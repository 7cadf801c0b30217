import { IsEmail, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

export class TeamDirectoryDto {
  @IsString() @IsNotEmpty() @MaxLength(200) serviceManagerId: string;
}

export class PersonDto {
  @IsEmail() email: string;
  @IsOptional() @IsString() @MaxLength(200) displayName?: string;
}
