import type { ApiModule } from './module.ts'
import countries from './countries/index.ts'
import organizations from './organizations/index.ts'
import plans from './plans/index.ts'
import areas from './areas/index.ts'
import activities from './activities/index.ts'
import projects from './projects/index.ts'
import meetings from './meetings/index.ts'
import outcomes from './outcomes/index.ts'
import training from './training/index.ts'
import changes from './changes/index.ts'
import webhooks from './webhooks/index.ts'
import apiKeys from './api-keys/index.ts'
import monitoring from './monitoring/index.ts'
import iati from './iati/index.ts'

// The table of contents: every resource family of /v1, in the order of the reference. Adding a
// module is one line here.
export const modules: ApiModule[] = [
  countries,
  organizations,
  plans,
  areas,
  activities,
  projects,
  meetings,
  outcomes,
  training,
  monitoring,
  iati,
  changes,
  webhooks,
  apiKeys,
]
