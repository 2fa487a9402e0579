import type { FastifyInstance } from 'fastify'
import routes from './meetings.routes.ts'
import agenda from './agenda.routes.ts'
import attendance from './attendance.routes.ts'
import { schemas as meetingSchemas } from './meetings.schemas.ts'
import { attendanceSchemas } from './attendance.schemas.ts'

export const schemas = [...attendanceSchemas, ...meetingSchemas]

/** Meetings, their agenda and attendance; registered under /v1 (it serves /v1/meetings.ics too). */
export default async function meetings(app: FastifyInstance) {
  await app.register(routes)
  await app.register(agenda)
  await app.register(attendance)
}
