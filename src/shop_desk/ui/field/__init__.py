"""Field service desks (外出服务): the supervisor's desk (calls waiting for dispatch, jobs
out now on a day timeline, jobs back at base to close; :mod:`shop_desk.ui.field.page`) with
its back office (expenses, penalties, key customers, field parts) and the technician's tablet
view (:mod:`shop_desk.ui.field.tablet`)."""
