import { Module } from '@nestjs/common';
import { DirectoryController } from './directory.controller';
import { DirectoryStore } from './directory.store';

@Module({
  controllers: [DirectoryController],
  providers: [DirectoryStore],
})
export class DirectoryModule {}
