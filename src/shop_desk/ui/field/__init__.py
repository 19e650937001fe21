"""Field service desk (外出服务): calls waiting for dispatch, jobs out now on a map-less
timeline, and jobs back at base to close (see :mod:`shop_desk.ui.field.page`)."""
