import type { FastifyInstance } from 'fastify'
import type { ApiModule } from '../module.ts'
import routes from './meetings.routes.ts'
import agenda from './agenda.routes.ts'
import attendance from './attendance.routes.ts'
import { schemas as meetingSchemas } from './meetings.schemas.ts'
import { attendanceSchemas } from './attendance.schemas.ts'

const schemas = [...attendanceSchemas, ...meetingSchemas]

/** Meetings, their agenda and attendance; registered under /v1 (it serves /v1/meetings.ics too). */
async function register(app: FastifyInstance) {
  await app.register(routes)
  await app.register(agenda)
  await app.register(attendance)
}

export default {
  name: 'meetings',
  prefix: '/v1',
  tag: {
    name: 'Meetings',
    description:
      'Senior Officials Meetings, seminars, workshops, roundtables and other meetings: agenda, documents, attendance (aggregate counts) and an iCalendar feed.',
  },
  schemas,
  register,
} satisfies ApiModule
