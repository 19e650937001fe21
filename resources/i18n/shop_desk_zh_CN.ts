<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>Admin</name>
    <message>
        <source>Unknown role.</source>
        <translation>未知角色。</translation>
    </message>
    <message>
        <source>Give the staff member at least one role.</source>
        <translation>请至少为员工分配一个角色。</translation>
    </message>
    <message>
        <source>Staff accounts exist already; sign in as an administrator.</source>
        <translation>已有员工账号，请以管理员身份登录。</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Login</source>
        <translation>登录名</translation>
    </message>
    <message>
        <source>The login {login} is taken.</source>
        <translation>登录名 {login} 已被使用。</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Staff member</source>
        <translation>员工</translation>
    </message>
    <message>
        <source>You cannot deactivate your own account.</source>
        <translation>不能停用自己的账号。</translation>
    </message>
    <message>
        <source>You cannot remove your own administrator role.</source>
        <translation>不能移除自己的管理员角色。</translation>
    </message>
    <message>
        <source>Unknown setting {key}.</source>
        <translation>未知设置项 {key}。</translation>
    </message>
    <message>
        <source>Times are written HH:MM.</source>
        <translation>时间格式为 时:分（HH:MM）。</translation>
    </message>
    <message>
        <source>The logo must be an image file.</source>
        <translation>标志必须是图片文件。</translation>
    </message>
    <message>
        <source>Team name</source>
        <translation>班组名称</translation>
    </message>
    <message>
        <source>Capacity (hours per day)</source>
        <translation>产能（每天工时）</translation>
    </message>
    <message>
        <source>A team called {name} exists already.</source>
        <translation>班组 {name} 已存在。</translation>
    </message>
    <message>
        <source>Team</source>
        <translation>班组</translation>
    </message>
    <message>
        <source>Skill</source>
        <translation>技能</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>代码</translation>
    </message>
    <message>
        <source>Standard hours</source>
        <translation>标准工时</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Part number</source>
        <translation>配件编号</translation>
    </message>
    <message>
        <source>Unit price</source>
        <translation>单价</translation>
    </message>
    <message>
        <source>Bin location</source>
        <translation>库位</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>Stock</source>
        <translation>库存</translation>
    </message>
    <message>
        <source>The CSV file lacks the columns: {cols}.</source>
        <translation>CSV 文件缺少以下列：{cols}。</translation>
    </message>
    <message>
        <source>Line {n}: {error}</source>
        <translation>第 {n} 行：{error}</translation>
    </message>
</context>
<context>
    <name>Auth</name>
    <message>
        <source>A PIN must have 4 to 64 characters.</source>
        <translation>密码（PIN）须为 4 到 64 个字符。</translation>
    </message>
    <message>
        <source>Unknown or inactive staff member.</source>
        <translation>员工不存在或已停用。</translation>
    </message>
    <message>
        <source>Too many wrong PINs. Try again in {n} minutes.</source>
        <translation>密码错误次数过多，请 {n} 分钟后再试。</translation>
    </message>
    <message>
        <source>Wrong PIN five times: this account is locked for {n} minutes.</source>
        <translation>密码连续错误五次：此账号锁定 {n} 分钟。</translation>
    </message>
    <message>
        <source>Wrong PIN. {n} tries left before the account is locked.</source>
        <translation>密码错误。再错 {n} 次账号将被锁定。</translation>
    </message>
</context>
<context>
    <name>Database</name>
    <message>
        <source>This file is not a shop-desk database (it has no schema version).</source>
        <extracomment>version -&gt; step that brings a database from version-1 to version. Extras a fresh database needs beyond create_tables (idempotent).</extracomment>
        <translation>此文件不是 shop-desk 数据库（没有结构版本）。</translation>
    </message>
    <message>
        <source>This database was made by a newer version of shop-desk (schema {found}, this program knows up to {latest}). Please update shop-desk on this PC.</source>
        <translation>此数据库由更新版本的 shop-desk 创建（结构版本 {found}，本程序最高支持 {latest}）。请在本机更新 shop-desk。</translation>
    </message>
</context>
<context>
    <name>OrderAction</name>
    <message>
        <source>check in</source>
        <translation>接车</translation>
    </message>
    <message>
        <source>hand over to the workshop</source>
        <translation>交接给车间</translation>
    </message>
    <message>
        <source>dispatch</source>
        <translation>派工</translation>
    </message>
    <message>
        <source>reassign</source>
        <translation>重新派工</translation>
    </message>
    <message>
        <source>wait for parts</source>
        <translation>等待配件</translation>
    </message>
    <message>
        <source>continue after parts arrived</source>
        <translation>配件到货后继续</translation>
    </message>
    <message>
        <source>ask the customer for authorisation</source>
        <translation>请顾客授权</translation>
    </message>
    <message>
        <source>continue after authorisation</source>
        <translation>授权后继续</translation>
    </message>
    <message>
        <source>send to final inspection</source>
        <translation>送总检</translation>
    </message>
    <message>
        <source>fail final inspection</source>
        <translation>总检不合格</translation>
    </message>
    <message>
        <source>pass final inspection</source>
        <translation>总检合格</translation>
    </message>
    <message>
        <source>finish the car wash</source>
        <translation>完成洗车</translation>
    </message>
    <message>
        <source>deliver</source>
        <translation>交车</translation>
    </message>
    <message>
        <source>settle</source>
        <translation>结算</translation>
    </message>
    <message>
        <source>void the settlement</source>
        <translation>作废结算</translation>
    </message>
    <message>
        <source>let the car out of the gate</source>
        <translation>放行出门</translation>
    </message>
    <message>
        <source>close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>OrderState</name>
    <message>
        <source>Booked</source>
        <extracomment>States in which the car is in the workshop (the board's columns). States in which the order's content is frozen (corrections only via a manager-approved void). States before the customer has left with the car, in which the order is still open.</extracomment>
        <translation>已预约</translation>
    </message>
    <message>
        <source>Checked in</source>
        <translation>已接车</translation>
    </message>
    <message>
        <source>Awaiting dispatch</source>
        <translation>待派工</translation>
    </message>
    <message>
        <source>In progress</source>
        <translation>维修中</translation>
    </message>
    <message>
        <source>Waiting for parts</source>
        <translation>待料</translation>
    </message>
    <message>
        <source>Waiting for authorisation</source>
        <translation>待顾客授权</translation>
    </message>
    <message>
        <source>Final inspection</source>
        <translation>总检</translation>
    </message>
    <message>
        <source>Rework</source>
        <translation>返工</translation>
    </message>
    <message>
        <source>Car wash</source>
        <translation>洗车</translation>
    </message>
    <message>
        <source>Ready for delivery</source>
        <translation>待交车</translation>
    </message>
    <message>
        <source>Delivered</source>
        <translation>已交车</translation>
    </message>
    <message>
        <source>Settled</source>
        <translation>已结算</translation>
    </message>
    <message>
        <source>Left the shop</source>
        <translation>已出厂</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>已关闭</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>The order is {state} and can no longer be changed; a correction needs a manager-approved void.</source>
        <translation>该工单状态为“{state}”，不能再修改；如需更正，须经总经理审批作废。</translation>
    </message>
    <message>
        <source>Cannot {action}: the order is {state}; this is possible only when it is {allowed}.</source>
        <translation>无法{action}：工单当前状态为“{state}”；只有在“{allowed}”状态下才能进行。</translation>
    </message>
</context>
<context>
    <name>Roles</name>
    <message>
        <source>Service advisor</source>
        <translation>服务顾问</translation>
    </message>
    <message>
        <source>Workshop supervisor</source>
        <translation>车间主管</translation>
    </message>
    <message>
        <source>Team leader</source>
        <translation>班组长</translation>
    </message>
    <message>
        <source>Technician</source>
        <translation>维修技师</translation>
    </message>
    <message>
        <source>QC inspector</source>
        <translation>质检员</translation>
    </message>
    <message>
        <source>Washer</source>
        <translation>洗车工</translation>
    </message>
    <message>
        <source>Parts clerk</source>
        <translation>配件管理员</translation>
    </message>
    <message>
        <source>Cashier</source>
        <translation>收银员</translation>
    </message>
    <message>
        <source>Customer-relations clerk</source>
        <translation>客服专员</translation>
    </message>
    <message>
        <source>General manager</source>
        <translation>总经理</translation>
    </message>
    <message>
        <source>Administrator</source>
        <translation>系统管理员</translation>
    </message>
</context>
<context>
    <name>Services</name>
    <message>
        <source>Please sign in first.</source>
        <translation>请先登录。</translation>
    </message>
    <message>
        <source>This staff account is not active.</source>
        <translation>此员工账号已停用。</translation>
    </message>
    <message>
        <source>{name} may not do this. It needs the role: {roles}.</source>
        <translation>{name} 无权执行此操作，需要以下角色之一：{roles}。</translation>
    </message>
    <message>
        <source>The database is busy because another station is saving. Nothing was changed; please try again in a moment.</source>
        <translation>另一台工作站正在保存，数据库繁忙。本次未做任何更改，请稍后再试。</translation>
    </message>
    <message>
        <source>{what} {ident} was not found.</source>
        <translation>未找到{what} {ident}。</translation>
    </message>
    <message>
        <source>{field} must be text.</source>
        <translation>{field}必须是文字。</translation>
    </message>
    <message>
        <source>{field} is required.</source>
        <translation>请填写{field}。</translation>
    </message>
    <message>
        <source>{field} is too long (at most {n} characters).</source>
        <translation>{field}过长（最多 {n} 个字符）。</translation>
    </message>
    <message>
        <source>{field} must be a whole number.</source>
        <translation>{field}必须是整数。</translation>
    </message>
    <message>
        <source>{field} must be between {lo} and {hi}.</source>
        <translation>{field}必须在 {lo} 到 {hi} 之间。</translation>
    </message>
    <message>
        <source>{field} must be a number.</source>
        <translation>{field}必须是数字。</translation>
    </message>
    <message>
        <source>{field}: {value} is not one of the allowed values.</source>
        <translation>{field}：{value} 不是允许的取值。</translation>
    </message>
    <message>
        <source>{who} changed this record at {when} after you opened it. Reload it to see their change; your input is kept.</source>
        <translation>在您打开此记录后，{who} 于 {when} 修改了它。请重新加载查看其修改；您输入的内容已保留。</translation>
    </message>
    <message>
        <source>Repair order</source>
        <translation>工单</translation>
    </message>
    <message>
        <source>Order {number} is {state}; it can no longer be changed. A correction needs a manager-approved void.</source>
        <translation>工单 {number} 状态为“{state}”，不能再修改。如需更正，须经总经理审批作废。</translation>
    </message>
</context>
<context>
    <name>Validation</name>
    <message>
        <source>A VIN has 17 characters; this one has {n}.</source>
        <translation>车架号（VIN）应为 17 位，此号码为 {n} 位。</translation>
    </message>
    <message>
        <source>A VIN never contains the letters I, O or Q.</source>
        <translation>车架号（VIN）中不会出现字母 I、O、Q。</translation>
    </message>
    <message>
        <source>A VIN has only letters and digits.</source>
        <translation>车架号（VIN）只包含字母和数字。</translation>
    </message>
    <message>
        <source>The check digit (9th character) does not match; please compare the VIN with the vehicle (some markets do not use the check digit).</source>
        <translation>校验位（第 9 位）不符，请与车辆核对车架号（部分市场不使用校验位）。</translation>
    </message>
    <message>
        <source>Please enter the plate number.</source>
        <translation>请输入车牌号。</translation>
    </message>
    <message>
        <source>{plate} is not a valid Chinese plate: province character, a letter, then 5 characters (new-energy vehicles: 6), e.g. 京A·12345 or 粤B·D12345.</source>
        <translation>{plate} 不是有效的车牌号：省份简称 + 字母 + 5 位字符（新能源车 6 位），例如 京A·12345 或 粤B·D12345。</translation>
    </message>
    <message>
        <source>Please enter a phone number.</source>
        <translation>请输入电话号码。</translation>
    </message>
    <message>
        <source>{phone} is not a valid phone number: a mobile has 11 digits starting with 13–19, a landline starts with its area code (e.g. 010-12345678).</source>
        <translation>{phone} 不是有效的电话号码：手机号为 11 位、以 13–19 开头；固定电话以区号开头（例如 010-12345678）。</translation>
    </message>
</context>
</TS>