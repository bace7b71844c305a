import type { Deps } from '../../src/deps.js';
import { putDepartment, putPerson } from '../../src/settings/organisation.js';

/** A small office: a top department, two divisions and the people the tests act as. */
export async function seedOffice(deps: Deps): Promise<void> {
  await putDepartment(deps, { code: 'top', name: '办公厅', isTop: true });
  await putDepartment(deps, { code: 'mishu', name: '秘书一处', chatId: 'oc_mishu' });
  await putDepartment(deps, { code: 'ducha', name: '督查处', chatId: 'oc_ducha' });
  await putPerson(deps, { openId: 'ou_lisi', name: '李四', dept: 'mishu', roles: ['staff'] });
  await putPerson(deps, { openId: 'ou_zhangsan', name: '张三', dept: 'mishu', roles: ['staff'] });
  await putPerson(deps, { openId: 'ou_wang', name: '王处长', dept: 'mishu', roles: ['staff', 'chief'] });
  await putPerson(deps, { openId: 'ou_zhao', name: '赵六', dept: 'ducha', roles: ['staff'] });
  await putPerson(deps, { openId: 'ou_qian', name: '钱处长', dept: 'ducha', roles: ['chief'] });
  await putPerson(deps, { openId: 'ou_admin', name: '综合科', dept: 'top', roles: ['admin'] });
}
