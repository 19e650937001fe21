"""Field service desks (外出服务): the supervisor's desk with its back office (expenses,
penalties, key customers, field parts) and the technician's tablet view."""
