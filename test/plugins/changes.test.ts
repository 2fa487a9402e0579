import t from 'tap'
import { json, setup } from '../helpers/app.ts'
import { listChangesOf } from '../../src/modules/changes/changes.queries.ts'
import { write } from '../../src/http/writes.ts'
import { insertOrganization } from '../../src/modules/organizations/organizations.queries.ts'
import { apiProvenance } from '../../src/schemas/provenance.ts'

t.test('a write that rolls back leaves no change row', async (t) => {
  let createdId = ''
  const { app, admin, database } = await setup(t, {}, (app) => {
    // A handler that writes, records the change, then fails: the transaction takes both back.
    app.post('/v1/test-rollback', { config: { scope: 'plans:write' } }, async (request) => {
      await write(request, async ({ trx, record }) => {
        const row = await insertOrganization(trx, { name: 'Doomed', kind: 'ngo' }, apiProvenance(null))
        createdId = row.id
        await record({
          resource: 'organization',
          resourceId: row.id,
          operation: 'create',
          version: 1,
          fields: ['name'],
        })
        throw new Error('something failed after the change was recorded')
      })
    })
  })
  const before = await database.db
    .selectFrom('changes')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  const res = await app.inject({ method: 'POST', url: '/v1/test-rollback', headers: admin, payload: {} })
  t.equal(res.statusCode, 500)
  t.ok(createdId)
  t.same(await listChangesOf(database.db, 'organization', createdId), [], 'no change row')
  t.equal((await app.inject({ url: `/v1/organizations/${createdId}` })).statusCode, 404, 'no organization')

  // Failed API writes leave none either.
  const parent = json(
    await app.inject({
      method: 'POST',
      url: '/v1/organizations',
      headers: admin,
      payload: { name: 'ASEAN', kind: 'intergovernmental' },
    }),
  )
  await app.inject({
    method: 'POST',
    url: '/v1/organizations',
    headers: admin,
    payload: { name: 'SOMTC', kind: 'sectoral_body', parentId: parent.id },
  })
  t.equal(
    (await app.inject({ method: 'DELETE', url: `/v1/organizations/${parent.id}`, headers: admin })).statusCode,
    409,
  )
  t.equal(
    (
      await app.inject({
        method: 'PATCH',
        url: `/v1/organizations/${parent.id}`,
        headers: { ...admin, 'if-match': '"9"' },
        payload: { name: 'x' },
      })
    ).statusCode,
    412,
  )
  t.same(
    (await listChangesOf(database.db, 'organization', parent.id)).map((c) => c.operation),
    ['create'],
  )
  const after = await database.db
    .selectFrom('changes')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  t.equal(Number(after.n) - Number(before.n), 2, 'only the two successful creates were recorded')
})
