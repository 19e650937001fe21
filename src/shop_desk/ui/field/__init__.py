"""Field service desks (外出服务): the supervisor's desk and the technician's tablet view."""
