"""All tables of shop-desk. ``ALL_MODELS`` is in dependency order for create_tables."""

from shop_desk.models.aftercare import (
    Approval,
    CallLog,
    Complaint,
    FollowUp,
    WarrantyOverride,
    WarrantyPolicy,
)
from shop_desk.models.base import BaseModel
from shop_desk.models.catalogue import LabourOperation, Part
from shop_desk.models.checkout import GatePass, Payment, Settlement
from shop_desk.models.counter import (
    CounterCase,
    CounterExclusion,
    CounterPayment,
    CounterSale,
    CounterSaleLine,
)
from shop_desk.models.customers import Customer, OdometerReading, Vehicle, VehicleOwnership
from shop_desk.models.field import (
    ExpenseClaim,
    ExpenseItem,
    FieldJob,
    FieldJobStaff,
    FieldPart,
    KeyCustomer,
    KeyCustomerVisit,
    Penalty,
    ServiceReport,
)
from shop_desk.models.imports import ImportBatch, ImportMapping
from shop_desk.models.orders import (
    AdditionalWorkRequest,
    Appointment,
    ClockEvent,
    DamageMark,
    DelayReport,
    Inspection,
    InspectionPhoto,
    JobLine,
    OrderEvent,
    PartsIssueLine,
    PartsIssueSlip,
    QcCheck,
    Recommendation,
    RepairOrder,
)
from shop_desk.models.purchasing import (
    PartsReturnLine,
    PartsReturnSlip,
    Supplier,
    SupplierClaim,
    SupplierOrder,
    SupplierOrderLine,
)
from shop_desk.models.records import AuditLog, Signature
from shop_desk.models.staff import ShopSettings, Staff, StaffRole, Team, TeamMember, TeamSkill

ALL_MODELS = [
    ShopSettings,
    Staff,
    StaffRole,
    Team,
    TeamMember,
    TeamSkill,
    Customer,
    Vehicle,
    OdometerReading,
    VehicleOwnership,
    LabourOperation,
    Part,
    Signature,
    AuditLog,
    Appointment,
    RepairOrder,
    Inspection,
    DamageMark,
    InspectionPhoto,
    AdditionalWorkRequest,
    JobLine,
    ClockEvent,
    PartsIssueSlip,
    PartsIssueLine,
    QcCheck,
    DelayReport,
    OrderEvent,
    Recommendation,
    Settlement,
    Payment,
    GatePass,
    FollowUp,
    Complaint,
    CallLog,
    WarrantyPolicy,
    WarrantyOverride,
    Approval,
    ImportBatch,
    ImportMapping,
    FieldJob,
    FieldJobStaff,
    FieldPart,
    ServiceReport,
    Penalty,
    ExpenseClaim,
    ExpenseItem,
    KeyCustomer,
    KeyCustomerVisit,
    PartsReturnSlip,
    PartsReturnLine,
    Supplier,
    SupplierOrder,
    SupplierOrderLine,
    SupplierClaim,
    CounterSale,
    CounterSaleLine,
    CounterPayment,
    CounterExclusion,
    CounterCase,
]

__all__ = [m.__name__ for m in ALL_MODELS] + ["ALL_MODELS", "BaseModel"]
